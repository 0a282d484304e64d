export { InitError, InitFailedError, ResetRefusedError, UsageError } from "./errors.ts";
export { formatGraph, packageEdges, type PackageEdge } from "./format-graph.ts";
export { DEFAULT_INIT_MODE, initDatabase, type InitOptions, type InitResult } from "./init-database.ts";
export { formatInitReport, PHASES, type InitReport, type Phase, type ReportedStep } from "./init-report.ts";
export { lintDatabases, lintNewMigrations, lintPending, type LintDatabasesOptions } from "./lint-databases.ts";
export { COMMANDS, parseCommand, parseTarget, USAGE, type Command, type CommandName, type VersionTarget } from "./parse-command.ts";
export { databaseStatus, defaultDataDir, EXIT, findWorkspaceRoot, runCli, withDependencies, type CliIO } from "./run-cli.ts";
export { readStrictVersions, STRICT_VERSIONS_ENV } from "./strict-versions.ts";
export {
  DEFAULT_DRIFT_TIMEOUT_MS,
  detectSchemaDrift,
  formatSchemaDrift,
  GENERATE_COMMAND,
  type DriftOptions,
  type SchemaDrift,
} from "./schema-drift.ts";
export {
  DEFAULT_DEBOUNCE_MS,
  formatWatchEvent,
  WatchModeError,
  watchDatabases,
  type DatabaseWatcher,
  type WatchEvent,
  type WatchOptions,
} from "./watch-databases.ts";
