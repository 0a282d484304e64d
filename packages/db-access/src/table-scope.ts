import { compareNames, CORE_PACKAGE, type DatabaseManifest } from "@ydtb/db-registry";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { WORKSPACE_ID_COLUMN } from "./constants.ts";

/**
 * Core's tables that are global though some reference users or tools: Better Auth's tables and
 * the tools catalog. Until the manifest's own `globalTables` declaration is read by every
 * package, this is the list core relies on (the same one the validator uses).
 */
const CORE_GLOBAL_TABLES: ReadonlySet<string> = new Set(["ydtb_users", "ydtb_sessions", "ydtb_accounts", "ydtb_verifications", "ydtb_workspaces", "ydtb_tools"]);

/** A table of a manifest, by its SQL name (`schema.name` outside `public`). */
export interface ScopedTable {
  readonly name: string;
  readonly table: PgTable;
  /** True when the table has a `workspace_id` column and is not declared global. */
  readonly workspaceScoped: boolean;
}

/**
 * The SQL name of a Drizzle table, schema-qualified outside `public`.
 *
 * @example
 * sqlTableName(notes); // "ydtb_basic_notes"
 */
export function sqlTableName(table: PgTable): string {
  const config = getTableConfig(table);
  return config.schema && config.schema !== "public" ? `${config.schema}.${config.name}` : config.name;
}

/**
 * Whether a package declares a table global: in the manifest's `globalTables` (when the
 * manifest carries one), or one of core's global tables.
 *
 * @example
 * isDeclaredGlobal(coreDatabase, "ydtb_tools"); // true
 */
export function isDeclaredGlobal(manifest: DatabaseManifest, name: string): boolean {
  const declared = (manifest as { readonly globalTables?: Readonly<Record<string, string>> }).globalTables;
  if (declared && Object.hasOwn(declared, name)) return true;
  return manifest.packageName === CORE_PACKAGE && CORE_GLOBAL_TABLES.has(name);
}

/**
 * Every table of a manifest with its scope, each once, sorted by name. Workspace-scoped = has a
 * `workspace_id` column and is not declared global; those get the policy, all get the grants.
 *
 * @example
 * scopedTables(basicDatabase).filter((t) => t.workspaceScoped).map((t) => t.name);
 * // ["ydtb_basic_note_tags", "ydtb_basic_notes", "ydtb_basic_tags"]
 */
export function scopedTables(manifest: DatabaseManifest): ScopedTable[] {
  const byName = new Map<string, ScopedTable>();
  for (const table of manifest.tables) {
    const name = sqlTableName(table);
    if (byName.has(name)) continue;
    const hasColumn = getTableConfig(table).columns.some((c) => c.name === WORKSPACE_ID_COLUMN);
    byName.set(name, { name, table, workspaceScoped: hasColumn && !isDeclaredGlobal(manifest, name) });
  }
  return [...byName.values()].sort((a, b) => compareNames(a.name, b.name));
}

/**
 * The SQL names of a manifest's workspace-scoped tables, sorted.
 *
 * @example
 * workspaceTableNames(coreDatabase); // ["ydtb_workspace_members", "ydtb_workspace_tools"]
 */
export function workspaceTableNames(manifest: DatabaseManifest): string[] {
  return scopedTables(manifest)
    .filter((t) => t.workspaceScoped)
    .map((t) => t.name);
}
