import { resolve } from "node:path";
import { openDatabase, redact, type Database, type OpenDatabaseOptions } from "@ydtb/db-client";
import { DEFAULT_LOCK_TIMEOUT_MS } from "@ydtb/db-migrate";
import { checkDatabaseUrl, type Command } from "../parse-command.ts";
import { formatWait } from "./colors.ts";
import { defaultDataDir } from "./workspace-root.ts";

/** Where a command's database is, before it is opened. */
export interface TargetDatabase {
  readonly url?: string;
  readonly dataDir?: string;
  /** Safe to print: the URL without its password, or `pglite:<dir>`. */
  readonly label: string;
}

/** The database a command targets: `--database-url`, else `DATABASE_URL`, else PGlite (`--data-dir` or the app's). */
export function targetOf(command: Command, env: Readonly<Record<string, string | undefined>>, cwd: string, root: string): TargetDatabase {
  const url = command.databaseUrl ?? (env.DATABASE_URL ? checkDatabaseUrl(env.DATABASE_URL, "DATABASE_URL") : undefined);
  if (url) return { url, label: redact(url) };
  const dataDir = command.dataDir ? resolve(cwd, command.dataDir) : defaultDataDir(root);
  return { dataDir, label: `pglite:${dataDir}` };
}

/**
 * Opens the target. On PGlite the manifests' extensions are loaded, and when another process
 * holds the directory a waiting message naming it is written at once (`onWait`), then the
 * wait lasts at most the lock timeout.
 */
export async function openTarget(
  command: Command,
  target: TargetDatabase,
  extensions: readonly string[],
  onWait: (message: string) => void,
): Promise<Database> {
  // connectTimeoutMs and extensions are db-client options; built as a value so this compiles
  // whichever of them the installed client declares.
  const base: OpenDatabaseOptions & { connectTimeoutMs?: number; extensions?: readonly string[] } = {
    ...(command.connectTimeoutMs !== undefined ? { connectTimeoutMs: command.connectTimeoutMs } : {}),
    ...(extensions.length ? { extensions } : {}),
  };
  if (target.url) return openDatabase({ ...base, url: target.url });
  const waitMs = command.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  try {
    return await openDatabase({ ...base, dataDir: target.dataDir!, waitForDataDirMs: 0 });
  } catch (error) {
    // Busy directory: say so at once, naming the holder, then wait as long as for the lock.
    if ((error as { code?: unknown }).code !== "DATABASE_IN_USE" || waitMs === 0) throw error;
    onWait(`waiting up to ${formatWait(waitMs)} for the PGlite directory: ${(error as Error).message}`);
    return openDatabase({ ...base, dataDir: target.dataDir!, waitForDataDirMs: waitMs });
  }
}
