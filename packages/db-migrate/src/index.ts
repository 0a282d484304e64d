export { attributeAll, attributeMigrations, type AttributionResult } from "./attribute-migrations.ts";
export { checkPackage, schemaDrift, type CheckResult, type DriftResult, type UpDownUpResult } from "./check-package.ts";
export { checksumSql, checksumTypeScript, migrationDigest, normaliseSql } from "./checksum.ts";
export type { Conflict, ConflictKind } from "./conflict.ts";
export { countQueries, type QueryCounter } from "./counting-session.ts";
export { dropEverything, type DropOptions, type DropResult } from "./drop-everything.ts";
export {
  DependencyCycleError,
  DependencyVersionError,
  IrreversibleMigrationError,
  LockTimeoutError,
  MigrateError,
  MigrationFailedError,
  MigrationLoadError,
  MissingDependencyError,
  NonIdempotentStatementError,
  NonTransactionalInAllModeError,
  PlanConflictError,
  PlanError,
  RollbackBlockedError,
  UnknownTargetError,
  VersionAttributionError,
  type MigrationFailure,
} from "./errors.ts";
export {
  APPLIED_TABLE,
  defaultAppliedBy,
  HISTORY_TABLE,
  historyTableNames,
  VERSIONS_TABLE,
  type HistoryTableNames,
  type PackageVersionRow,
} from "./history-tables.ts";
export { impliedDependencies, JOURNAL_FILE, loadMigrations, loadPackageMigrations, migrationIdsOf } from "./load-migrations.ts";
export type { LoadedMigration, LoadedPackage, MigrationBody } from "./loaded-package.ts";
export {
  DEFAULT_MIGRATE_MODE,
  migrate,
  type MigrateMode,
  type MigrateOptions,
  type MigrationRunResult,
  type PackageVersionState,
  type ProgressEvent,
  type StepResult,
} from "./migrate.ts";
export { DEFAULT_LOCK_TIMEOUT_MS, LOCK_POLL_INTERVAL_MS, withMigrationLock, type MigrationLockOptions } from "./migration-lock.ts";
export { migrationStatus, type PackageStatus, type StatusOptions } from "./migration-status.ts";
export { readVersionAttribution, VERSIONS_FILE, type VersionAttribution } from "./migration-versions.ts";
export { buildPackageGraph, dependenciesOf, dependentsOf, orderPackages, topologicalOrder, type GraphInput } from "./package-graph.ts";
export {
  DEFAULT_TARGET,
  planMigrations,
  type AppliedMigration,
  type MigrationPlan,
  type MigrationTarget,
  type PlanInput,
  type PlanStep,
} from "./plan-migrations.ts";
export { repairChecksums, type RepairOptions, type RepairResult } from "./repair-checksums.ts";
export { runMigration } from "./run-migration.ts";
export { diffCatalogs, schemaCatalog } from "./schema-catalog.ts";
export { schemaVersionOf } from "./schema-version.ts";
export { isIdempotentStatement, NO_TRANSACTION_MARKER, splitBreakpoints, splitStatements, STATEMENT_BREAKPOINT } from "./sql-statements.ts";
export * from "./adopt/index.ts";
