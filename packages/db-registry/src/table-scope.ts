import { getTableColumns } from "drizzle-orm";
import type { DatabaseManifest } from "./manifest.ts";
import { tableName } from "./schema-entities.ts";

/** The SQL name of the column that ties a row to its workspace. */
export const WORKSPACE_COLUMN = "workspace_id";

/**
 * True when the manifest declares this table global (`globalTables`): not workspace-scoped,
 * shared by every workspace (reference data, per-user rows, catalogs).
 *
 * @example
 * isGlobalTable(coreDatabase, "ydtb_users");            // true
 * isGlobalTable(coreDatabase, "ydtb_workspace_members"); // false
 */
export function isGlobalTable(manifest: Pick<DatabaseManifest, "globalTables">, sqlTableName: string): boolean {
  return Object.hasOwn(manifest.globalTables, sqlTableName);
}

/**
 * The manifest's workspace-scoped tables by SQL name (schema-qualified outside `public`), in
 * export order: every table with a `workspace_id` column that is not declared global.
 *
 * @example
 * workspaceTables(basicDatabase); // ["ydtb_basic_notes", "ydtb_basic_tags", "ydtb_basic_note_tags"]
 */
export function workspaceTables(manifest: Pick<DatabaseManifest, "globalTables" | "tables">): readonly string[] {
  const names: string[] = [];
  for (const table of manifest.tables) {
    const name = tableName(table);
    if (names.includes(name) || isGlobalTable(manifest, name)) continue;
    if (Object.values(getTableColumns(table)).some((c) => c.name === WORKSPACE_COLUMN)) names.push(name);
  }
  return names;
}
