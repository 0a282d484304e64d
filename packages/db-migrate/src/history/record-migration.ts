import type { SqlSession } from "@ydtb/db-client";
import { and, eq, sql } from "drizzle-orm";
import { bookkeepingDb } from "./bookkeeping-db.ts";
import { historyTables, type HistoryDirection, type HistoryTableNames } from "./history-schema.ts";

/** What one history row says. */
export interface HistoryEntry {
  readonly package: string;
  readonly id: string;
  readonly version: string | null;
  readonly checksum: string;
  /** `up`/`baseline` add to the applied set, `down` removes, `repair` changes its checksum, `resolve` leaves it. */
  readonly direction: HistoryDirection;
  readonly ms: number;
  readonly appliedBy: string;
}

/**
 * Appends a successful history row and changes the applied set to match, in ONE statement, so
 * it commits or rolls back with the session's transaction (for a migration: its own). Public
 * for the CLI's `baseline` / `resolve`, which record without running anything: call it under
 * `withMigrationLock`, then rewrite the versions rows (`repairChecksums` shows the pattern).
 *
 * - `up`, `baseline`: inserts (package, id) into the applied set.
 * - `down`: deletes it.
 * - `repair`: sets its checksum.
 * - `resolve`: the applied set is left as it is (the row documents a decision).
 *
 * @example
 * await withMigrationLock(db, {}, (conn) => conn.transaction((tx) =>
 *   recordMigration(tx, historyTableNames(), { package: "@ydtb/basic", id: "0000_notes", version: "1.0.0", checksum, direction: "baseline", ms: 0, appliedBy: defaultAppliedBy() })));
 */
export async function recordMigration(session: SqlSession, t: HistoryTableNames, e: HistoryEntry): Promise<void> {
  const { history, applied } = historyTables(t);
  const db = bookkeepingDb(session);
  const row = db.$with("h").as(
    db
      .insert(history)
      .values({ package: e.package, migrationId: e.id, version: e.version, checksum: e.checksum, direction: e.direction, appliedAt: sql`clock_timestamp()`, executionMs: e.ms, appliedBy: e.appliedBy, success: true })
      .returning({ id: history.id }),
  );
  const mine = and(eq(applied.package, e.package), eq(applied.migrationId, e.id));
  const recorded = sql`EXISTS (SELECT 1 FROM ${row})`;
  if (e.direction === "up" || e.direction === "baseline") {
    await db
      .with(row)
      .insert(applied)
      .select(db.select({ package: sql`${e.package}`.as("package"), migrationId: sql`${e.id}`.as("migration_id"), checksum: sql`${e.checksum}`.as("checksum"), version: sql`${e.version}::text`.as("version"), appliedAt: sql`clock_timestamp()`.as("applied_at"), historyId: row.id }).from(row));
  } else if (e.direction === "down") {
    await db.with(row).delete(applied).where(and(mine, recorded));
  } else if (e.direction === "repair") {
    await db.with(row).update(applied).set({ checksum: e.checksum }).where(and(mine, recorded));
  } else {
    await db.with(row).select({ id: row.id }).from(row);
  }
}

/** The longest error text stored in the history. */
export const MAX_STORED_ERROR_LENGTH = 4000;

/**
 * Text safe to store and print: NUL and other control characters (but tab and line breaks),
 * unpaired surrogates and U+FFFD become `?`-free escapes, cut to {@link MAX_STORED_ERROR_LENGTH}.
 * A migration file full of binary garbage must not make the history unreadable.
 *
 * @example
 * storableText("bad \u0000 byte") // "bad \\u0000 byte"
 */
export function storableText(text: string): string {
  const clean = text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return clean.length > MAX_STORED_ERROR_LENGTH ? `${clean.slice(0, MAX_STORED_ERROR_LENGTH)}…` : clean;
}

/**
 * Appends a failed attempt (outside the rolled-back transaction); the applied set is untouched.
 * The error text is made storable ({@link storableText}).
 */
export async function recordFailure(session: SqlSession, t: HistoryTableNames, e: HistoryEntry & { readonly error: string }): Promise<void> {
  const { history } = historyTables(t);
  await bookkeepingDb(session)
    .insert(history)
    .values({ package: e.package, migrationId: e.id, version: e.version, checksum: e.checksum, direction: e.direction, appliedAt: sql`clock_timestamp()`, executionMs: e.ms, appliedBy: e.appliedBy, success: false, error: storableText(e.error) });
}
