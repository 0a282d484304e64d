import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyPgliteSnapshot } from "./pglite-snapshot.ts";

/** Prefix of the temporary directories {@link createPgliteDataDir} makes. */
export const DEFAULT_DATA_DIR_PREFIX = "ydtb-pglite-";

/**
 * Fills `dir` with an empty PGlite database, extracted from the cached snapshot. A process that
 * then opens `dir` (the app, the command line) skips initdb: on a loaded 2-core machine initdb
 * into a directory took 28–44 s and 3–5 s of CPU, extracting and opening 9–11 s and 1.1 s.
 *
 * @example
 * await seedPgliteDataDir(join(root, "apps/core/.data"));
 */
export async function seedPgliteDataDir(dir: string): Promise<void> {
  const snapshot = await emptyPgliteSnapshot();
  await new Bun.Archive(await snapshot.arrayBuffer()).extract(dir);
}

/**
 * A new temporary directory holding an empty PGlite database (see {@link seedPgliteDataDir}),
 * for a child process to open. The caller removes it.
 *
 * @example
 * const dir = await createPgliteDataDir();
 * Bun.spawn(["bun", "apps/core/src/main.ts"], { env: { ...process.env, YDTB_DATA_DIR: dir } });
 */
export async function createPgliteDataDir(prefix: string = DEFAULT_DATA_DIR_PREFIX): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  await seedPgliteDataDir(dir);
  return dir;
}
