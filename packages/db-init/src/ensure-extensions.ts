import type { Database } from "@ydtb/db-client";
import { discoverDatabases, type DatabaseManifest } from "@ydtb/db-registry";
import { withMigrationLock } from "@ydtb/db-migrate";
import { ExtensionUnavailableError } from "./errors.ts";

/** The extensions a manifest declares (`extensions` in `defineDatabase`), none when absent. */
export function extensionsOf(manifest: DatabaseManifest): readonly string[] {
  return (manifest as { readonly extensions?: readonly string[] }).extensions ?? [];
}

/**
 * Every extension the manifests need, once each, in first-declared order: what to hand
 * `openDatabase({ extensions })` so PGlite loads them.
 *
 * @example
 * const db = await openDatabase({ dataDir, extensions: neededExtensions(manifests) });
 */
export function neededExtensions(manifests: readonly DatabaseManifest[]): string[] {
  return [...new Set(manifests.flatMap(extensionsOf))];
}

/** Options of {@link ensureExtensions}. */
export interface EnsureExtensionsOptions {
  /** Check availability only, create nothing. Default false. */
  readonly dryRun?: boolean;
  readonly lockTimeoutMs?: number;
  readonly historyTable?: string;
}

/**
 * Creates the manifests' extensions (`CREATE EXTENSION IF NOT EXISTS`) before any migration,
 * under the migration lock, when one is not installed yet; one read-only query when all are.
 * Throws `ExtensionUnavailableError` naming the extension and the packages when the database
 * does not offer it (`pg_available_extensions`): on PGlite, when it was opened without it.
 *
 * @example
 * const created = await ensureExtensions(db, registry.list()); // ["pg_trgm"] the first time, then []
 */
export async function ensureExtensions(db: Database, manifests: readonly DatabaseManifest[], options: EnsureExtensionsOptions = {}): Promise<string[]> {
  const wanted = neededExtensions(manifests);
  if (wanted.length === 0) return [];
  const state = async (session: Pick<Database, "query">) =>
    session.query<{ name: string; installed: boolean }>(`SELECT name, installed_version IS NOT NULL AS installed FROM pg_available_extensions WHERE name = ANY($1::text[])`, [wanted]);
  const rows = await state(db);
  for (const name of wanted) {
    if (!rows.some((r) => r.name === name)) {
      throw new ExtensionUnavailableError(name, manifests.filter((m) => extensionsOf(m).includes(name)).map((m) => m.packageName), db.kind);
    }
  }
  if (options.dryRun || rows.every((r) => r.installed)) return [];
  // Two boots creating one extension at once would collide on pg_extension's unique name: the lock orders them.
  return withMigrationLock(db, { lockTimeoutMs: options.lockTimeoutMs, historyTable: options.historyTable }, async (conn) => {
    const now = await state(conn);
    const created: string[] = [];
    for (const name of wanted) {
      if (now.find((r) => r.name === name)?.installed) continue;
      await conn.exec(`CREATE EXTENSION IF NOT EXISTS "${name.replace(/"/g, '""')}"`);
      created.push(name);
    }
    return created;
  });
}

/**
 * The extensions the workspace's manifests need, found by discovery: what an app passes to
 * `openDatabase({ extensions })` before the pipeline runs (PGlite loads them only at start).
 * Manifests that fail to load are left to the pipeline, which reports them.
 *
 * @example
 * const db = await openDatabase({ dataDir, extensions: await workspaceExtensions(rootDir) });
 */
export async function workspaceExtensions(rootDir: string): Promise<string[]> {
  return neededExtensions((await discoverDatabases(rootDir)).manifests);
}
