import type { SqlSession } from "@ydtb/db-client";
import { asc, sql } from "drizzle-orm";
import type { AppliedMigration, PackageVersionRow } from "../model/plan-types.ts";
import { bookkeepingDb } from "./bookkeeping-db.ts";
import { historyTables, historyTablesDdl, type HistoryTableNames } from "./history-schema.ts";

/** Creates the bookkeeping tables when missing (one round trip). Call under the lock. */
export async function ensureHistoryTables(session: SqlSession, t: HistoryTableNames): Promise<void> {
  await session.exec(historyTablesDdl(t));
}

/** True when the tables exist (one query); read-only callers use it to tolerate a new database. */
export async function historyTablesExist(session: SqlSession, t: HistoryTableNames): Promise<boolean> {
  const [row] = await bookkeepingDb(session).execute<{ ok: boolean }>(sql`SELECT to_regclass(${t.applied}) IS NOT NULL AND to_regclass(${t.versions}) IS NOT NULL AS ok`);
  return row?.ok === true;
}

/** Every row of the versions table (one query): what the planner's no-op answer reads. */
export async function readVersionRows(session: SqlSession, t: HistoryTableNames): Promise<PackageVersionRow[]> {
  const { versions } = historyTables(t);
  return bookkeepingDb(session)
    .select({ package: versions.package, schemaVersion: versions.schemaVersion, codeVersion: versions.codeVersion, appliedCount: versions.appliedCount, digest: versions.digest })
    .from(versions);
}

/** The currently applied migrations of every package, in the order applied (one query). */
export async function readApplied(session: SqlSession, t: HistoryTableNames): Promise<AppliedMigration[]> {
  const { applied } = historyTables(t);
  return bookkeepingDb(session)
    .select({ package: applied.package, id: applied.migrationId, checksum: applied.checksum, version: applied.version, order: applied.historyId, appliedAt: applied.appliedAt })
    .from(applied)
    .orderBy(asc(applied.historyId));
}

/** Upserts the versions rows of several packages in one statement. */
export async function writeVersionRows(session: SqlSession, t: HistoryTableNames, rows: readonly PackageVersionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { versions } = historyTables(t);
  const now = sql`clock_timestamp()`;
  await bookkeepingDb(session)
    .insert(versions)
    .values(rows.map((r) => ({ ...r, updatedAt: now })))
    .onConflictDoUpdate({
      target: versions.package,
      set: {
        schemaVersion: sql`excluded."schema_version"`,
        codeVersion: sql`excluded."code_version"`,
        appliedCount: sql`excluded."applied_count"`,
        digest: sql`excluded."digest"`,
        updatedAt: sql`excluded."updated_at"`,
      },
    });
}
