import type { SqlSession } from "@ydtb/db-client";

/** Where drizzle-kit's `migrate()` keeps its history unless configured otherwise. */
export const DEFAULT_DRIZZLE_TABLE: DrizzleTable = { schema: "drizzle", table: "__drizzle_migrations" };

/** A drizzle-kit history table. */
export interface DrizzleTable {
  readonly schema: string;
  readonly table: string;
}

/** One row of a drizzle history table: `hash` is the SHA-256 of the file's text, `createdAt` the journal's `when`. */
export interface DrizzleHistoryRow {
  readonly id: number;
  readonly hash: string;
  readonly createdAt: number;
}

/** `schema.table`, for messages. */
export const drizzleTableName = (t: DrizzleTable) => `${t.schema}.${t.table}`;

/**
 * The rows of a drizzle history table in id order, or null when the table does not exist.
 *
 * @example
 * const rows = await readDrizzleHistory(db, DEFAULT_DRIZZLE_TABLE);
 */
export async function readDrizzleHistory(session: SqlSession, t: DrizzleTable): Promise<DrizzleHistoryRow[] | null> {
  const quoted = `"${t.schema.replace(/"/g, '""')}"."${t.table.replace(/"/g, '""')}"`;
  const [found] = await session.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [quoted]);
  if (!found?.ok) return null;
  const rows = await session.query<{ id: number | string; hash: string; created_at: number | string | null }>(`SELECT "id", "hash", "created_at" FROM ${quoted} ORDER BY "id"`);
  return rows.map((r) => ({ id: Number(r.id), hash: String(r.hash), createdAt: Number(r.created_at) }));
}
