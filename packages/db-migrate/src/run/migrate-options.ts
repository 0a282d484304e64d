import type { MigrationTarget } from "../model/plan-types.ts";
import type { ProgressEvent } from "../model/run-result.ts";

/** How a run uses transactions. */
export type MigrateMode = "per-migration" | "all";

/** Default {@link MigrateMode}: one transaction per migration. */
export const DEFAULT_MIGRATE_MODE: MigrateMode = "per-migration";

/** Default of `MigrateOptions.fingerprints`: a no-op run trusts current-looking fingerprints. */
export const DEFAULT_TRUST_FINGERPRINTS = true;

/** Options of `migrate()`. */
export interface MigrateOptions {
  /** Default `{ kind: "latest" }`. */
  readonly target?: MigrationTarget;
  /**
   * `"per-migration"` (default, {@link DEFAULT_MIGRATE_MODE}): each migration in its own
   * transaction; a failure keeps the ones before it. `"all"`: the whole plan in one
   * transaction; a failure keeps nothing (refused up front if a step cannot run in a transaction).
   */
  readonly mode?: MigrateMode;
  /** Undo dependents a rollback would break instead of refusing. Default false. */
  readonly cascade?: boolean;
  /** Apply new migrations ordered before applied ones. Default false. */
  readonly allowOutOfOrder?: boolean;
  /** Plan under the lock, change nothing (not even the bookkeeping tables). Default false. */
  readonly dryRun?: boolean;
  /** Default `DEFAULT_LOCK_TIMEOUT_MS` (60 s). */
  readonly lockTimeoutMs?: number;
  /** Recorded in the history. Default `user@host pid N`. */
  readonly appliedBy?: string;
  /** Default `HISTORY_TABLE` (`ydtb_schema_history`); also names the lock. */
  readonly historyTable?: string;
  readonly onProgress?: (event: ProgressEvent) => void;
  /**
   * Refuse (`DatabaseAheadError`) when the database holds migrations of a later release than
   * the code's. Default false: those packages are not migrated, the run reports them in
   * `plan.ahead` and goes on (an instance of the previous release during a rolling deploy).
   */
  readonly strictVersions?: boolean;
  /** `lock_timeout` of each transactional migration, ms. Default `DEFAULT_MIGRATION_LOCK_TIMEOUT_MS` (5 s); a migration's header and its manifest win. */
  readonly migrationLockTimeoutMs?: number;
  /** Retries of a migration whose lock wait timed out. Default `DEFAULT_LOCK_RETRIES` (3). */
  readonly lockRetries?: number;
  /** Pause before the first retry, ms, doubled each time. Default `DEFAULT_LOCK_RETRY_BACKOFF_MS` (1 s). */
  readonly lockRetryBackoffMs?: number;
  /** `statement_timeout` of each transactional migration, ms; 0 = none (default). The manifest's `statementTimeout` wins. */
  readonly statementTimeoutMs?: number;
  /**
   * Default true ({@link DEFAULT_TRUST_FINGERPRINTS}): a package whose drizzle folder carries a
   * current-looking fingerprint (`meta/_ydtb_fingerprint.json`: its journal and versions file
   * unchanged, no file added or removed) is not read when the database already matches it; any
   * run with work to do reads and checks every file. A migration edited in place without
   * regenerating the fingerprint is then reported by `ydtb-db validate` and `check`, not by a
   * no-op run. False reads every file on every run.
   */
  readonly fingerprints?: boolean;
}
