import { MigrateError } from "./migrate-error.ts";

/** A migrations folder, journal, SQL file or versions file could not be read or is malformed. */
export class MigrationLoadError extends MigrateError {
  constructor(
    readonly packageName: string,
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super("MIGRATION_LOAD_FAILED", `"${packageName}": ${file}: ${message}`, options);
  }
}

/** `migrations.versions.json` attributes migrations out of their order, or is malformed. */
export class VersionAttributionError extends MigrateError {
  constructor(
    readonly packageName: string,
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super("INVALID_VERSION_ATTRIBUTION", `"${packageName}": ${file}: ${message}`, options);
  }
}

/** A `.sql` / `.down.sql` file in a migrations folder that neither the journal nor an up migration accounts for. */
export class OrphanMigrationFileError extends MigrateError {
  constructor(
    readonly packageName: string,
    readonly file: string,
  ) {
    super(
      "ORPHAN_MIGRATION_FILE",
      `"${packageName}": ${file} is in the migrations folder but not in meta/_journal.json, so it would never run. ` +
        `Add it to the journal with \`drizzle-kit generate --custom --name <name>\` (then move its SQL into the file drizzle-kit creates), ` +
        `or delete it. A ".down.sql" file must sit beside the up file of the same name.`,
    );
  }
}

/** Where a statement sits in its file. */
export interface SqlPosition {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters. */
  readonly column: number;
}

/** Why a SQL migration file is refused before anything runs. */
export type SqlRefusalKind = "syntax-error" | "transaction-control" | "needs-no-transaction" | "not-idempotent";

/**
 * A SQL migration file PostgreSQL's parser reads as unfit: a syntax error, transaction control,
 * a statement that cannot run in a transaction block inside a transactional migration, or a
 * statement that is not idempotent in a `-- ydtb:no-transaction` migration. Raised when the
 * plan's migrations are prepared, before any of them runs.
 */
export class SqlMigrationError extends MigrateError {
  constructor(
    readonly kind: SqlRefusalKind,
    readonly packageName: string,
    readonly migrationId: string,
    readonly position: SqlPosition,
    /** 1-based index of the statement in the file (0 for a syntax error before any statement could be cut). */
    readonly statement: number,
    readonly excerpt: string,
    readonly reason: string,
    readonly fix: string,
    options?: ErrorOptions,
  ) {
    super(
      SQL_REFUSAL_CODES[kind],
      `"${packageName}" migration "${migrationId}" (${position.file}:${position.line}:${position.column}` +
        `${statement > 0 ? `, statement ${statement}` : ""}): ${reason}${excerpt ? `\n  ${excerpt}` : ""}\n${fix}`,
      options,
    );
  }
}

const SQL_REFUSAL_CODES: Record<SqlRefusalKind, string> = {
  "syntax-error": "SQL_SYNTAX_ERROR",
  "transaction-control": "TRANSACTION_CONTROL_IN_MIGRATION",
  "needs-no-transaction": "STATEMENT_NEEDS_NO_TRANSACTION",
  "not-idempotent": "NON_IDEMPOTENT_STATEMENT",
};
