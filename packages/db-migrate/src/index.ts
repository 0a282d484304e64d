// load/ graph/ plan/ sql/ are pure (files in, values out); run/ history/ commands/ touch the database.
export { attributeAll, attributeMigrations, type AttributionResult } from "./commands/attribute-migrations.ts";
export { checkPackage, schemaDrift, type CheckOptions, type CheckResult, type DriftResult, type UpDownUpResult } from "./commands/check-package.ts";
export { dropEverything, type DropOptions, type DropResult } from "./commands/drop-everything.ts";
export { migrationStatus, type PackageStatus, type StatusOptions } from "./commands/migration-status.ts";
export { repairChecksums, type RepairOptions, type RepairResult } from "./commands/repair-checksums.ts";
export { diffCatalogs, schemaCatalog } from "./commands/schema-catalog.ts";
export { DependencyCycleError, DependencyVersionError, MissingDependencyError } from "./errors/graph-errors.ts";
export { MigrationLoadError, OrphanMigrationFileError, SqlMigrationError, VersionAttributionError, type SqlPosition, type SqlRefusalKind } from "./errors/load-errors.ts";
export { MigrateError } from "./errors/migrate-error.ts";
export { DatabaseAheadError, IrreversibleMigrationError, NonTransactionalInAllModeError, PlanConflictError, PlanError, RollbackBlockedError, UnknownTargetError } from "./errors/plan-errors.ts";
export { LockReleaseError, LockTimeoutError, MigrationFailedError, type MigrationFailedOptions } from "./errors/run-errors.ts";
export { buildPackageGraph, dependenciesOf, dependentsOf, orderOrNames, orderPackages, topologicalOrder, type GraphInput } from "./graph/package-graph.ts";
export { satisfiesRange } from "./graph/satisfies-range.ts";
export {
  APPLIED_TABLE,
  HISTORY_DIRECTIONS,
  HISTORY_TABLE,
  historyTableNames,
  historyTables,
  VERSIONS_TABLE,
  type HistoryDirection,
  type HistoryTableNames,
  type HistoryTables,
} from "./history/history-schema.ts";
export { readApplied, readVersionRows, writeVersionRows } from "./history/history-store.ts";
export { MAX_STORED_ERROR_LENGTH, recordMigration, storableText, type HistoryEntry } from "./history/record-migration.ts";
export { checksumSql, checksumTypeScript, migrationDigest, normaliseSql } from "./load/checksum.ts";
export { impliedDependencies } from "./load/implied-dependencies.ts";
export { loadMigrations, loadPackageMigrations, migrationIdsOf } from "./load/load-migrations.ts";
export { computeFingerprint, FINGERPRINT_FILE, loadFromFingerprint, verifyFingerprint, writeFingerprint, type FingerprintCheck, type FingerprintStatus, type MigrationsFingerprint } from "./load/migrations-fingerprint.ts";
export { JOURNAL_FILE, readJournal, type JournalEntry } from "./load/read-journal.ts";
export { readVersionAttribution, VERSIONS_FILE, type VersionAttribution } from "./load/read-versions-file.ts";
export { compareNames } from "@ydtb/db-registry";
export type { Conflict, ConflictKind } from "./model/conflict.ts";
export type { LoadedMigration, LoadedPackage, MigrationBody } from "./model/loaded-package.ts";
export { DEFAULT_TARGET, type AppliedMigration, type HeldBack, type MigrationPlan, type MigrationTarget, type PackageAhead, type PackageVersionRow, type PlanStep } from "./model/plan-types.ts";
export type { BlockingBackend, MigrationFailure, MigrationRunResult, PackageVersionState, ProgressEvent, StepError, StepResult } from "./model/run-result.ts";
export { AppliedState } from "./plan/applied-state.ts";
export { databaseAhead, heldBackPackages } from "./plan/database-ahead.ts";
export { planMigrations, type PlanInput } from "./plan/plan-migrations.ts";
export { planRun, type DatabaseState, type PlanRunInput, type RunDecision } from "./plan/plan-run.ts";
export { schemaVersionOf } from "./plan/schema-version.ts";
export { advisoryLock } from "./run/advisory-lock.ts";
export { blockingBackends, describeBlocker, watchBlockers } from "./run/blocking-backends.ts";
export { isLockTimeout, withLockRetries, type BlockerProbe, type LockRetryInput } from "./run/lock-retries.ts";
export {
  DEFAULT_LOCK_RETRIES,
  DEFAULT_LOCK_RETRY_BACKOFF_MS,
  DEFAULT_LOCK_WAIT_POLICY,
  DEFAULT_MIGRATION_LOCK_TIMEOUT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  LOCK_NOT_AVAILABLE,
  lockWaitPolicy,
  retryDelayMs,
  setLocalTimeouts,
  type LockWaitPolicy,
} from "./run/lock-wait.ts";
export { defaultAppliedBy } from "./run/applied-by.ts";
export { countQueries, type QueryCounter } from "./run/counting-session.ts";
export type { MigrationLockAdapter } from "./run/lock-adapter.ts";
export { migrate } from "./run/migrate.ts";
export { DEFAULT_MIGRATE_MODE, DEFAULT_TRUST_FINGERPRINTS, type MigrateMode, type MigrateOptions } from "./run/migrate-options.ts";
export { DEFAULT_LOCK_TIMEOUT_MS, withMigrationLock, type MigrationLockOptions } from "./run/migration-lock.ts";
export { prepareMigration, prepareSteps, type PreparedStep } from "./run/prepare-steps.ts";
export { runMigration } from "./run/run-migration.ts";
export { isNoTransaction, NO_TRANSACTION_MARKER, STATEMENT_BREAKPOINT, withoutBom } from "./sql/no-transaction-marker.ts";
export { LOCK_TIMEOUT_HEADER, readLockTimeoutHeader } from "./sql/lock-timeout-header.ts";
export { prepareSql, type PreparedStatement, type SqlSource } from "./sql/prepare-sql.ts";
export { loadSqlParser, sqlParserRequested, type SqlParser } from "./sql/sql-parser.ts";
export { isIdempotent, outsideTransactionOnly, statementKind, transactionControl, type StatementNode } from "./sql/statement-rules.ts";
export * from "./adopt/index.ts";
export { bootStampAnswer, manifestsDigest, readBootStamp, stampLayoutOf, stampTables, writeBootStamp } from "./history/boot-stamp-store.ts";
export { inputsDigest, stampHolds, type StampAnswer, type StampPackage, type StampTables, type StoredStamp } from "./plan/boot-stamp.ts";
