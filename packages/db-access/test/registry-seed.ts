import { getTableColumns, sql, type SQL } from "drizzle-orm";
import { getTableConfig, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import type { SqlSession } from "@ydtb/db-client";
import { discoverDatabasesOrThrow, type DatabaseManifest } from "@ydtb/db-registry";
import { resolve } from "node:path";
import { sqlTableName } from "../src/index.ts";

/** The repository root: the registry these tests walk is the real one. */
export const repoRoot = resolve(import.meta.dir, "../../..");

let manifests: Promise<readonly DatabaseManifest[]> | undefined;
/** Every registered package of the repository, discovered as the app does. */
export function registeredManifests(): Promise<readonly DatabaseManifest[]> {
  manifests ??= discoverDatabasesOrThrow(repoRoot);
  return manifests;
}

/** A row the seed wrote, by SQL column name. */
export type SeedRow = Readonly<Record<string, unknown>>;

/** What {@link seedRegistry} wrote: rows per SQL table name. */
export type Seeded = ReadonlyMap<string, readonly SeedRow[]>;

const WORKSPACES = "ydtb_workspaces";

/** Every table of every manifest, parents before children (by foreign key). */
export function registryTables(all: readonly DatabaseManifest[]): PgTable[] {
  const byName = new Map<string, PgTable>();
  for (const m of all) for (const t of m.tables) byName.set(sqlTableName(t), t);
  const ordered: PgTable[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (visiting.has(name) || ordered.some((t) => sqlTableName(t) === name)) return;
    visiting.add(name);
    const table = byName.get(name)!;
    for (const fk of getTableConfig(table).foreignKeys) {
      const parent = sqlTableName(fk.reference().foreignTable);
      if (parent !== name && byName.has(parent)) visit(parent);
    }
    ordered.push(table);
  };
  for (const name of [...byName.keys()].sort()) visit(name);
  return ordered;
}

/**
 * Writes `perTable` rows per workspace into every workspace table of the registry (and
 * `perTable` rows into every global table), as the database owner (no policy applies), with
 * values derived from each column's type; foreign-key columns take the referenced row's value
 * in the same workspace. Nothing here names a table: a new package's tables are seeded too.
 */
export async function seedRegistry(db: SqlSession, all: readonly DatabaseManifest[], workspaceIds: readonly string[], perTable = 2): Promise<Seeded> {
  const seeded = new Map<string, SeedRow[]>();
  for (const table of registryTables(all)) {
    const name = sqlTableName(table);
    const config = getTableConfig(table);
    const scoped = config.columns.some((c) => c.name === "workspace_id");
    const rows: SeedRow[] = [];
    if (name === WORKSPACES) {
      for (const id of workspaceIds) rows.push({ id, name: `Workspace ${id}`, slug: id.replaceAll("_", "-") });
    } else {
      for (const [w, ws] of (scoped ? workspaceIds : [undefined]).entries()) {
        for (let i = 0; i < perTable; i++) rows.push(rowFor(table, seeded, ws, w, i));
      }
    }
    for (const row of rows) await db.exec(insertSql(name, row));
    seeded.set(name, rows);
  }
  return seeded;
}

function rowFor(table: PgTable, seeded: ReadonlyMap<string, readonly SeedRow[]>, ws: string | undefined, w: number, i: number): SeedRow {
  const config = getTableConfig(table);
  const row: Record<string, unknown> = {};
  if (ws !== undefined) row.workspace_id = ws;
  for (const fk of config.foreignKeys) {
    const ref = fk.reference();
    // The workspace column is the row's own workspace, never taken from a parent.
    if (ref.columns.every((c) => c.name === "workspace_id")) continue;
    const parentRows = (seeded.get(sqlTableName(ref.foreignTable)) ?? []).filter((p) => ws === undefined || !("workspace_id" in p) || p.workspace_id === ws);
    const parent = parentRows[i % Math.max(parentRows.length, 1)];
    if (!parent) throw new Error(`seed: no row of "${sqlTableName(ref.foreignTable)}" for "${config.name}" to reference; seed parents first`);
    ref.columns.forEach((c, k) => {
      if (c.name !== "workspace_id") row[c.name] = parent[ref.foreignColumns[k]!.name];
    });
  }
  const keyed = new Set([...config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)), ...config.columns.filter((c) => c.primary || c.isUnique).map((c) => c.name)]);
  for (const column of Object.values(getTableColumns(table)) as PgColumn[]) {
    if (column.name in row) continue;
    if (column.hasDefault && !keyed.has(column.name)) continue;
    if (!column.notNull && !keyed.has(column.name)) continue;
    row[column.name] = valueFor(column, config.name, w, i);
  }
  return row;
}

function valueFor(column: PgColumn, table: string, w: number, i: number): unknown {
  const type = column.getSQLType();
  const text = `${table.replace(/^ydtb_/, "").slice(0, 8)}${w}x${i}`;
  if (type === "text" || type.startsWith("varchar")) {
    const max = /varchar\((\d+)\)/.exec(type)?.[1];
    const value = column.name.includes("email") ? `${text}@example.test` : text;
    return max ? value.slice(-Number(max)) : value;
  }
  if (type === "boolean") return false;
  if (/^(integer|smallint|bigint|serial|bigserial|numeric|real|double)/.test(type)) return w * 1000 + i;
  if (type.startsWith("timestamp") || type === "date") return new Date(Date.UTC(2026, 0, 1 + i)).toISOString();
  if (type === "jsonb" || type === "json") return "{}";
  if (type === "uuid") return crypto.randomUUID();
  throw new Error(`seed: no value for ${table}.${column.name} of type ${type}; teach registry-seed.ts this type`);
}

const literal = (v: unknown) => (v === null ? "NULL" : typeof v === "number" || typeof v === "boolean" ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

function insertSql(table: string, row: SeedRow): string {
  const columns = Object.keys(row);
  return `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map((c) => literal(row[c])).join(", ")})`;
}

/** `SELECT … FROM "<table>"` for a table name the registry gave (quoted, never user input). */
export function fromTable(table: string, select = "*", rest = ""): SQL {
  return sql.raw(`SELECT ${select} FROM "${table}" ${rest}`);
}

/** The rows of `execute()`: postgres.js gives an array, PGlite `{ rows }`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
