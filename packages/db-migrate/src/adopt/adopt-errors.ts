import { MigrateError } from "../errors/migrate-error.ts";

/** Why one drizzle history row or one migration file stops a baseline. */
export interface BaselineMismatch {
  readonly kind: "unknown-hash" | "timestamp-differs" | "skipped-by-drizzle" | "missing-table" | "not-a-folder";
  readonly package?: string;
  readonly id?: string;
  /** The drizzle history table the row is in (`schema.table`). */
  readonly table?: string;
  /** The drizzle history row's `id`. */
  readonly row?: number;
  readonly message: string;
}

/**
 * `baseline` found rows or files that do not match: nothing was recorded. `mismatches` lists
 * each with what to do.
 */
export class BaselineMismatchError extends MigrateError {
  constructor(readonly mismatches: readonly BaselineMismatch[]) {
    super(
      "BASELINE_MISMATCH",
      `baseline recorded nothing: ${mismatches.length} mismatch${mismatches.length === 1 ? "" : "es"} between the database and the migration files:\n` +
        mismatches.map((m) => `  - ${m.message}`).join("\n"),
    );
  }
}

/** No drizzle history table where `baseline` looked. */
export class DrizzleHistoryNotFoundError extends MigrateError {
  constructor(readonly tables: readonly string[]) {
    super(
      "DRIZZLE_HISTORY_NOT_FOUND",
      `no drizzle-kit history table ${tables.map((t) => `"${t}"`).join(", ")} in this database. ` +
        `If drizzle-kit used another table (migrationsTable / migrationsSchema in drizzle.config.ts), pass --drizzle-table [pkg=]schema.table; ` +
        `for a database built by hand, use baseline --to <pkg>@<version>.`,
    );
  }
}

/** `resolve` or `baseline --to` named a package or migration the code does not have, or a state it is already in. */
export class ResolveError extends MigrateError {
  constructor(code: "UNKNOWN_PACKAGE" | "UNKNOWN_MIGRATION" | "ALREADY_APPLIED" | "NOT_APPLIED", message: string) {
    super(code, message);
  }
}
