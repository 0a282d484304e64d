import { hostname, userInfo } from "node:os";
import type { Row, SqlSession } from "@ydtb/db-client";
import type { AppliedMigration } from "./plan-migrations.ts";

/** Default name of the append-only history table; it also names the lock. */
export const HISTORY_TABLE = "ydtb_schema_history";
/** Default name of the table of currently applied migrations (one row per applied migration). */
export const APPLIED_TABLE = "ydtb_schema_migrations";
/** Default name of the table of package schema versions (one row per package). */
export const VERSIONS_TABLE = "ydtb_schema_versions";

/** The three bookkeeping tables of one history. */
export interface HistoryTableNames {
  readonly history: string;
  readonly applied: string;
  readonly versions: string;
}

/**
 * The table names for a history table name: `x_history` → `x_history`, `x_migrations`,
 * `x_versions`; any other name `n` → `n`, `n_migrations`, `n_versions`.
 *
 * @example
 * historyTableNames("ydtb_schema_history") // { history: "ydtb_schema_history", applied: "ydtb_schema_migrations", versions: "ydtb_schema_versions" }
 */
export function historyTableNames(historyTable: string = HISTORY_TABLE): HistoryTableNames {
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(historyTable)) {
    throw new TypeError(`historyTable "${historyTable}" must be a lower-case SQL identifier (letters, digits, "_"), at most 51 characters`);
  }
  const stem = historyTable.endsWith("_history") ? historyTable.slice(0, -"_history".length) : historyTable;
  return { history: historyTable, applied: `${stem}_migrations`, versions: `${stem}_versions` };
}

/** Who ran a migration, as recorded: `user@host pid N`. */
export function defaultAppliedBy(): string {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? "unknown";
  }
  return `${user}@${hostname()} pid ${process.pid}`;
}

/** The DDL of the bookkeeping tables; `IF NOT EXISTS`, run under the migration lock. */
export function historyTablesDdl(t: HistoryTableNames): string {
  return `
CREATE TABLE IF NOT EXISTS "${t.history}" (
  "id" bigserial PRIMARY KEY,
  "package" text NOT NULL,
  "migration_id" text NOT NULL,
  "version" text,
  "checksum" text NOT NULL,
  "direction" text NOT NULL CHECK ("direction" IN ('up', 'down', 'repair')),
  "applied_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
  "execution_ms" double precision NOT NULL,
  "applied_by" text NOT NULL,
  "success" boolean NOT NULL,
  "error" text
);
CREATE TABLE IF NOT EXISTS "${t.applied}" (
  "package" text NOT NULL,
  "migration_id" text NOT NULL,
  "checksum" text NOT NULL,
  "version" text,
  "applied_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
  "history_id" bigint NOT NULL,
  PRIMARY KEY ("package", "migration_id")
);
CREATE TABLE IF NOT EXISTS "${t.versions}" (
  "package" text PRIMARY KEY,
  "schema_version" text,
  "code_version" text NOT NULL,
  "applied_count" integer NOT NULL,
  "digest" text NOT NULL,
  "updated_at" timestamptz NOT NULL DEFAULT clock_timestamp()
);`;
}

/** One row of the versions table. */
export interface PackageVersionRow {
  readonly package: string;
  readonly schemaVersion: string | null;
  readonly codeVersion: string;
  readonly appliedCount: number;
  readonly digest: string;
}

/** Creates the bookkeeping tables when missing (one round trip). Call under the lock. */
export async function ensureHistoryTables(session: SqlSession, t: HistoryTableNames): Promise<void> {
  await session.exec(historyTablesDdl(t));
}

/** True when the tables exist (one query); read-only callers use it to tolerate a new database. */
export async function historyTablesExist(session: SqlSession, t: HistoryTableNames): Promise<boolean> {
  const rows = await session.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS ok`, [t.applied, t.versions]);
  return rows[0]?.ok === true;
}

/** Every row of the versions table (one query). */
export async function readVersionRows(session: SqlSession, t: HistoryTableNames): Promise<PackageVersionRow[]> {
  const rows = await session.query(`SELECT "package", "schema_version", "code_version", "applied_count", "digest" FROM "${t.versions}"`);
  return rows.map((r) => ({
    package: String(r.package),
    schemaVersion: r.schema_version === null ? null : String(r.schema_version),
    codeVersion: String(r.code_version),
    appliedCount: Number(r.applied_count),
    digest: String(r.digest),
  }));
}

/** The currently applied migrations of every package, in the order applied (one query). */
export async function readApplied(session: SqlSession, t: HistoryTableNames): Promise<AppliedMigration[]> {
  const rows = await session.query(`SELECT "package", "migration_id", "checksum", "version", "history_id", "applied_at" FROM "${t.applied}" ORDER BY "history_id"`);
  return rows.map(toApplied);
}

function toApplied(r: Row): AppliedMigration {
  return {
    package: String(r.package),
    id: String(r.migration_id),
    checksum: String(r.checksum),
    version: r.version === null ? null : String(r.version),
    order: Number(r.history_id),
    appliedAt: r.applied_at as Date,
  };
}

/** What one history row says. */
export interface HistoryEntry {
  readonly package: string;
  readonly id: string;
  readonly version: string | null;
  readonly checksum: string;
  readonly direction: "up" | "down" | "repair";
  readonly ms: number;
  readonly appliedBy: string;
}

/**
 * Appends a successful step to the history and updates the applied set, in one statement
 * (so it commits or rolls back with the migration's own transaction).
 */
export async function recordStep(session: SqlSession, t: HistoryTableNames, e: HistoryEntry): Promise<void> {
  const insert = `INSERT INTO "${t.history}" ("package", "migration_id", "version", "checksum", "direction", "execution_ms", "applied_by", "success") VALUES ($1, $2, $3, $4, $5, $6, $7, true) RETURNING "id"`;
  const params = [e.package, e.id, e.version, e.checksum, e.direction, e.ms, e.appliedBy];
  if (e.direction === "down") {
    await session.query(`WITH h AS (${insert}) DELETE FROM "${t.applied}" WHERE "package" = $1 AND "migration_id" = $2 AND EXISTS (SELECT 1 FROM h)`, params);
  } else if (e.direction === "up") {
    await session.query(
      `WITH h AS (${insert}) INSERT INTO "${t.applied}" ("package", "migration_id", "checksum", "version", "history_id") SELECT $1, $2, $4, $3, h."id" FROM h`,
      params,
    );
  } else {
    await session.query(`WITH h AS (${insert}) UPDATE "${t.applied}" SET "checksum" = $4 WHERE "package" = $1 AND "migration_id" = $2 AND EXISTS (SELECT 1 FROM h)`, params);
  }
}

/** Appends a failed attempt (outside the rolled-back transaction); the applied set is untouched. */
export async function recordFailure(session: SqlSession, t: HistoryTableNames, e: HistoryEntry & { readonly error: string }): Promise<void> {
  await session.query(
    `INSERT INTO "${t.history}" ("package", "migration_id", "version", "checksum", "direction", "execution_ms", "applied_by", "success", "error") VALUES ($1, $2, $3, $4, $5, $6, $7, false, $8)`,
    [e.package, e.id, e.version, e.checksum, e.direction, e.ms, e.appliedBy, e.error],
  );
}

/** Upserts the versions rows of several packages in one statement. */
export async function writeVersionRows(session: SqlSession, t: HistoryTableNames, rows: readonly PackageVersionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((r) => ({ package: r.package, schema_version: r.schemaVersion, code_version: r.codeVersion, applied_count: r.appliedCount, digest: r.digest })));
  await session.query(
    `INSERT INTO "${t.versions}" ("package", "schema_version", "code_version", "applied_count", "digest", "updated_at")
     SELECT r."package", r."schema_version", r."code_version", r."applied_count", r."digest", clock_timestamp()
     FROM jsonb_to_recordset($1::text::jsonb) AS r("package" text, "schema_version" text, "code_version" text, "applied_count" integer, "digest" text)
     ON CONFLICT ("package") DO UPDATE SET "schema_version" = excluded."schema_version", "code_version" = excluded."code_version",
       "applied_count" = excluded."applied_count", "digest" = excluded."digest", "updated_at" = excluded."updated_at"`,
    [json],
  );
}
