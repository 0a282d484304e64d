import { bigint, bigserial, boolean, doublePrecision, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** Default name of the append-only history table; it also names the lock. */
export const HISTORY_TABLE = "ydtb_schema_history";
/** Default name of the table of currently applied migrations (one row per applied migration). */
export const APPLIED_TABLE = "ydtb_schema_migrations";
/** Default name of the table of package schema versions (one row per package). */
export const VERSIONS_TABLE = "ydtb_schema_versions";

/**
 * What a history row records: a migration run `up` or `down`, a checksum accepted by `repair`,
 * or a migration marked as applied without running it (`baseline`) or settled by hand after a
 * failure (`resolve`) — the last two written by the CLI through `recordMigration`.
 */
export const HISTORY_DIRECTIONS = ["up", "down", "repair", "baseline", "resolve"] as const;

/** One of {@link HISTORY_DIRECTIONS}. */
export type HistoryDirection = (typeof HISTORY_DIRECTIONS)[number];

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

const built = new Map<string, ReturnType<typeof buildHistoryTables>>();

/**
 * The bookkeeping tables as Drizzle tables (names from {@link historyTableNames}), built once per
 * set of names: building Drizzle tables costs more than the query that uses them.
 */
export function historyTables(t: HistoryTableNames): ReturnType<typeof buildHistoryTables> {
  const key = `${t.history} ${t.applied} ${t.versions}`;
  let tables = built.get(key);
  if (!tables) built.set(key, (tables = buildHistoryTables(t)));
  return tables;
}

function buildHistoryTables(t: HistoryTableNames) {
  return {
    history: pgTable(t.history, {
      id: bigserial("id", { mode: "number" }).primaryKey(),
      package: text("package").notNull(),
      migrationId: text("migration_id").notNull(),
      version: text("version"),
      checksum: text("checksum").notNull(),
      direction: text("direction", { enum: HISTORY_DIRECTIONS }).notNull(),
      appliedAt: timestamp("applied_at", { withTimezone: true, mode: "date" }).notNull(),
      executionMs: doublePrecision("execution_ms").notNull(),
      appliedBy: text("applied_by").notNull(),
      success: boolean("success").notNull(),
      error: text("error"),
    }),
    applied: pgTable(
      t.applied,
      {
        package: text("package").notNull(),
        migrationId: text("migration_id").notNull(),
        checksum: text("checksum").notNull(),
        version: text("version"),
        appliedAt: timestamp("applied_at", { withTimezone: true, mode: "date" }).notNull(),
        historyId: bigint("history_id", { mode: "number" }).notNull(),
      },
      (table) => [primaryKey({ columns: [table.package, table.migrationId] })],
    ),
    versions: pgTable(t.versions, {
      package: text("package").primaryKey(),
      schemaVersion: text("schema_version"),
      codeVersion: text("code_version").notNull(),
      appliedCount: integer("applied_count").notNull(),
      digest: text("digest").notNull(),
      updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
    }),
  };
}

/** The Drizzle tables of one history. */
export type HistoryTables = ReturnType<typeof historyTables>;

/**
 * The DDL of the bookkeeping tables (`IF NOT EXISTS`, one round trip, run under the migration
 * lock). It matches {@link historyTables}; DDL is the one thing Drizzle's runtime cannot write.
 * A history table created before `baseline`/`resolve` existed gets its direction CHECK widened
 * once (the DO block only reads the catalog when there is nothing to change).
 */
export function historyTablesDdl(t: HistoryTableNames): string {
  const directions = HISTORY_DIRECTIONS.map((d) => `'${d}'`).join(", ");
  return `
CREATE TABLE IF NOT EXISTS "${t.history}" (
  "id" bigserial PRIMARY KEY,
  "package" text NOT NULL,
  "migration_id" text NOT NULL,
  "version" text,
  "checksum" text NOT NULL,
  "direction" text NOT NULL CONSTRAINT "${t.history}_direction_check" CHECK ("direction" IN (${directions})),
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
);
DO $ydtb$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"${t.history}"'::regclass AND conname = '${t.history}_direction_check'
             AND pg_get_constraintdef(oid) NOT LIKE '%resolve%') THEN
    ALTER TABLE "${t.history}" DROP CONSTRAINT "${t.history}_direction_check",
      ADD CONSTRAINT "${t.history}_direction_check" CHECK ("direction" IN (${directions}));
  END IF;
END $ydtb$;`;
}
