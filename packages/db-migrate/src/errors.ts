import type { Conflict } from "./conflict.ts";
import type { MigrationRunResult } from "./migrate.ts";

/**
 * Base class of this package's errors: `code` is stable, the message may change.
 *
 * @example
 * try { await migrate(db, manifests); } catch (e) { if (e instanceof MigrateError) console.error(e.code, e.message); }
 */
export class MigrateError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ---------------------------------------------------------------------------------------------
// Loading

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

/** A statement of a `-- ydtb:no-transaction` migration is not safe to run twice. */
export class NonIdempotentStatementError extends MigrateError {
  constructor(
    readonly packageName: string,
    readonly migrationId: string,
    readonly file: string,
    /** 1-based, counted over the file's `--> statement-breakpoint` chunks. */
    readonly statement: number,
    readonly excerpt: string,
  ) {
    super(
      "NON_IDEMPOTENT_STATEMENT",
      `"${packageName}" migration "${migrationId}" (${file}) runs outside a transaction (-- ydtb:no-transaction), ` +
        `so a crash half-way leaves it partly applied and it is run again; statement ${statement} is not idempotent: ${excerpt}\n` +
        `Write it so a second run is harmless: CREATE INDEX CONCURRENTLY IF NOT EXISTS, CREATE TABLE IF NOT EXISTS, ` +
        `ALTER TABLE ... ADD COLUMN IF NOT EXISTS, DROP ... IF EXISTS; or remove the "-- ydtb:no-transaction" line.`,
    );
  }
}

/** `migrations.versions.json` attributes migrations out of their order. */
export class VersionAttributionError extends MigrateError {
  constructor(
    readonly packageName: string,
    readonly file: string,
    message: string,
  ) {
    super("INVALID_VERSION_ATTRIBUTION", `"${packageName}": ${file}: ${message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Graph

/** The package dependencies form a cycle; `path` is the cycle, first package repeated at the end. */
export class DependencyCycleError extends MigrateError {
  constructor(readonly path: readonly string[]) {
    super(
      "DEPENDENCY_CYCLE",
      `Package dependencies form a cycle: ${path.join(" → ")}. ` +
        `Migrations can only be ordered when dependencies point one way: remove one of these dependencies (move the shared tables to a package both depend on).`,
    );
  }
}

/** A package depends on a package that is not registered. */
export class MissingDependencyError extends MigrateError {
  constructor(
    readonly packageName: string,
    readonly dependency: string,
    readonly range: string,
  ) {
    super(
      "MISSING_DEPENDENCY",
      `"${packageName}" depends on "${dependency}" (${range}), which is not registered. ` +
        `Add "${dependency}" to the workspace (its src/database.ts must export defineDatabase(...)), or remove it from the dependencies of "${packageName}".`,
    );
  }
}

/** An installed package version is outside the range a dependent declares. */
export class DependencyVersionError extends MigrateError {
  constructor(
    readonly packageName: string,
    readonly dependency: string,
    readonly range: string,
    readonly installed: string,
  ) {
    super(
      "DEPENDENCY_VERSION_MISMATCH",
      `"${packageName}" needs "${dependency}" ${range}, but "${dependency}" is ${installed}. ` +
        `Widen the range in the manifest of "${packageName}" (dependencies["${dependency}"]), or install a version of "${dependency}" that satisfies it.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Plan

/** Base class of the errors the planner throws before anything runs. */
export class PlanError extends MigrateError {}

/** The plan found conflicts between the code and the history; nothing ran. */
export class PlanConflictError extends PlanError {
  constructor(readonly conflicts: readonly Conflict[]) {
    super(
      "PLAN_CONFLICTS",
      `${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"} between the migrations and the database history; nothing was run:\n` +
        conflicts.map((c) => `  - [${c.kind}] ${c.message}`).join("\n"),
    );
  }
}

/** A target names a package or version that does not exist. */
export class UnknownTargetError extends PlanError {
  constructor(message: string) {
    super("UNKNOWN_TARGET", message);
  }
}

/** A migration the plan must undo has no down; nothing ran. */
export class IrreversibleMigrationError extends PlanError {
  constructor(readonly migrations: readonly { readonly package: string; readonly id: string; readonly file?: string }[]) {
    super(
      "NO_DOWN_MIGRATION",
      `The plan must undo ${migrations.length} migration${migrations.length === 1 ? "" : "s"} that ha${migrations.length === 1 ? "s" : "ve"} no down; nothing was run:\n` +
        migrations.map((m) => `  - "${m.package}" ${m.id}${m.file ? ` (write ${m.file.replace(/\.sql$/, ".down.sql")})` : " (add down(db) to the migration)"}`).join("\n"),
    );
  }
}

/** A rollback would leave dependents' applied migrations without what they need; `--cascade` undoes them too. */
export class RollbackBlockedError extends PlanError {
  constructor(
    readonly packageName: string,
    readonly dependents: readonly { readonly package: string; readonly ids: readonly string[] }[],
  ) {
    super(
      "ROLLBACK_BLOCKED_BY_DEPENDENTS",
      `Rolling back "${packageName}" would leave applied migrations of packages that depend on it:\n` +
        dependents.map((d) => `  - "${d.package}": ${d.ids.join(", ")}`).join("\n") +
        `\nRun it again with --cascade (cascade: true) to undo those first, or roll back the dependents yourself.`,
    );
  }
}

/** `mode: "all"` was asked for a plan that holds a migration that cannot run in a transaction. */
export class NonTransactionalInAllModeError extends PlanError {
  constructor(readonly migrations: readonly { readonly package: string; readonly id: string }[]) {
    super(
      "NON_TRANSACTIONAL_IN_ALL_MODE",
      `mode "all" applies the plan in one transaction, but ${migrations.map((m) => `"${m.package}" ${m.id}`).join(", ")} must run outside a transaction; nothing was run. ` +
        `Use the default mode "per-migration".`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Execution

/** Another migrator held the lock longer than `lockTimeoutMs`. */
export class LockTimeoutError extends MigrateError {
  constructor(
    readonly timeoutMs: number,
    readonly holder: string,
  ) {
    super(
      "LOCK_TIMEOUT",
      `Waited ${timeoutMs} ms for the migration lock, held by ${holder}. ` +
        `Another migration is running: wait for it and retry, raise the lock timeout (--lock-timeout), or stop the holder if it is stuck.`,
    );
  }
}

/** What a failed migration reports: where it failed and what PostgreSQL said. */
export interface MigrationFailure {
  readonly package: string;
  readonly id: string;
  readonly direction: "up" | "down";
  readonly file?: string;
  /** 1-based chunk of the SQL file (`--> statement-breakpoint`); absent for TypeScript migrations. */
  readonly statement?: number;
  /** The first ~200 characters of the failing statement. */
  readonly excerpt?: string;
  /** The PostgreSQL SQLSTATE, e.g. `42P01`. */
  readonly pgCode?: string;
  readonly pgMessage: string;
}

/** A migration failed: its transaction was rolled back and nothing after it ran. `result` holds the run so far. */
export class MigrationFailedError extends MigrateError {
  /** The run up to and including the failure; set by `migrate()`. */
  result?: MigrationRunResult;
  constructor(
    readonly failure: MigrationFailure,
    options?: ErrorOptions,
  ) {
    const f = failure;
    super(
      "MIGRATION_FAILED",
      `"${f.package}" migration "${f.id}" (${f.direction}${f.file ? `, ${f.file}` : ""}) failed` +
        `${f.statement !== undefined ? ` at statement ${f.statement}` : ""}: ${f.pgCode ? `[${f.pgCode}] ` : ""}${f.pgMessage}` +
        `${f.excerpt ? `\n  statement: ${f.excerpt}` : ""}` +
        `\nIts changes were rolled back and nothing after it ran. Fix the migration and run again; the migrations before it stay applied.`,
      options,
    );
  }
}
