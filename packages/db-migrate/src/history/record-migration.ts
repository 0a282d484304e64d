import type { SqlSession } from "@ydtb/db-client";
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pg-proxy";
import { bookkeepingDb } from "./bookkeeping-db.ts";
import { historyTables, type HistoryDirection, type HistoryTableNames } from "./history-schema.ts";
import { InlineTemplate } from "./sql-literal.ts";

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
 * How a history row's `execution_ms` is known: measured by the caller (ms), or `"transaction"`:
 * measured by the server, from the transaction's start to the bookkeeping statement — for a
 * statement sent in the same message as the migration's own, when the caller cannot know yet.
 */
export type ExecutionMs = number | "transaction";

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
  await session.exec(recordMigrationSql(t, e));
}

/**
 * The statement {@link recordMigration} sends, as text with its values written as literals
 * (`sqlLiteral`): to travel in one message with the migration's statements and COMMIT. Built
 * with Drizzle's query builder once per table names, direction and timing, with placeholders,
 * and filled per migration (building the query each time cost ~0.4 ms a migration).
 *
 * @example
 * await conn.transactionBatch([...statements, recordMigrationSql(t, { ...entry, ms: "transaction" })]);
 */
export function recordMigrationSql(t: HistoryTableNames, e: Omit<HistoryEntry, "ms"> & { readonly ms: ExecutionMs }): string {
  const timing = e.ms === "transaction" ? "transaction" : "given";
  const key = `${t.history} ${t.applied} ${e.direction} ${timing}`;
  let template = templates.get(key);
  if (!template) templates.set(key, (template = buildTemplate(t, e.direction, timing)));
  return template.fill({ package: e.package, id: e.id, version: e.version, checksum: e.checksum, ms: e.ms === "transaction" ? 0 : e.ms, appliedBy: e.appliedBy });
}

const templates = new Map<string, InlineTemplate>();

// Only renders: a template is never sent by this database, only its filled text. Made on the
// first run with work to do, not by a no-op boot.
let renderer: ReturnType<typeof drizzle> | undefined;

function buildTemplate(t: HistoryTableNames, direction: HistoryDirection, timing: "transaction" | "given"): InlineTemplate {
  const { history, applied } = historyTables(t);
  const db = (renderer ??= drizzle(async () => {
    throw new TypeError("the bookkeeping renderer sends nothing");
  }));
  const p = (name: string) => sql.placeholder(name);
  const executionMs = timing === "transaction" ? sql`(extract(epoch from clock_timestamp() - transaction_timestamp()) * 1000)` : p("ms");
  const row = db.$with("h").as(
    db
      .insert(history)
      .values({ package: p("package"), migrationId: p("id"), version: p("version"), checksum: p("checksum"), direction, appliedAt: sql`clock_timestamp()`, executionMs, appliedBy: p("appliedBy"), success: true })
      .returning({ id: history.id }),
  );
  const mine = and(eq(applied.package, p("package")), eq(applied.migrationId, p("id")));
  const recorded = sql`EXISTS (SELECT 1 FROM ${row})`;
  if (direction === "up" || direction === "baseline") {
    const values = { package: sql`${p("package")}`.as("package"), migrationId: sql`${p("id")}`.as("migration_id"), checksum: sql`${p("checksum")}`.as("checksum"), version: sql`${p("version")}::text`.as("version"), appliedAt: sql`clock_timestamp()`.as("applied_at"), historyId: row.id };
    return new InlineTemplate(db.with(row).insert(applied).select(db.select(values).from(row)).toSQL());
  }
  if (direction === "down") return new InlineTemplate(db.with(row).delete(applied).where(and(mine, recorded)).toSQL());
  if (direction === "repair") return new InlineTemplate(db.with(row).update(applied).set({ checksum: sql`${p("checksum")}` }).where(and(mine, recorded)).toSQL());
  return new InlineTemplate(db.with(row).select({ id: row.id }).from(row).toSQL());
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
