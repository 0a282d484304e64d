export { colorsFor, type Colors } from "./cli/colors.ts";
export { COMMAND_SPECS, OPTIONS, type CommandSpec, type OptionName, type OptionSpec } from "./cli/command-specs.ts";
export { errorCauses, formatCauses, type ErrorCause } from "./cli/describe-error.ts";
export { didYouMean } from "./cli/did-you-mean.ts";
export { CLI_VERSION, commandHelp, generalHelp } from "./cli/help-text.ts";
export { migrationLockHolder } from "./cli/lock-holder.ts";
export { formatSqlPreview, sqlPreview, type SqlPreview, type SqlPreviewEntry } from "./cli/sql-preview.ts";
export { checkWorkspaceRoot, defaultDataDir, findWorkspaceRoot } from "./cli/workspace-root.ts";
export { databaseStatus, type DatabaseStatus, type DatabaseStatusOptions, type MigrationListing } from "./database-status.ts";
export { ensureExtensions, extensionsOf, neededExtensions, workspaceExtensions, type EnsureExtensionsOptions } from "./ensure-extensions.ts";
export { ExtensionUnavailableError, InitError, InitFailedError, ResetRefusedError, UsageError, ValidationFailedError } from "./errors.ts";
export { formatGraph, packageEdges, type PackageEdge } from "./format-graph.ts";
export { DEFAULT_INIT_MODE, initDatabase, type InitOptions, type InitResult } from "./init-database.ts";
export { formatInitReport, PHASES, type InitReport, type Phase, type ReportedStep } from "./init-report.ts";
export { lintDatabases, lintNewMigrations, lintPending, type LintDatabasesOptions } from "./lint-databases.ts";
export { checkDatabaseUrl, COMMANDS, parseCommand, parseDrizzleTable, parseTarget, type Command, type CommandName, type DrizzleTableOption, type VersionTarget } from "./parse-command.ts";
export { EXIT, isDevelopmentOrTest, runCli, withDependencies, type CliIO } from "./run-cli.ts";
export { readStrictVersions, STRICT_VERSIONS_ENV } from "./strict-versions.ts";
export {
  DEFAULT_DRIFT_TIMEOUT_MS,
  detectSchemaDrift,
  formatSchemaDrift,
  GENERATE_COMMAND,
  type DriftOptions,
  type SchemaDrift,
} from "./schema-drift.ts";
export { debounceQueue, type DebounceQueue } from "./watch/debounce-queue.ts";
export { reloadDatabases, type ReloadContext } from "./watch/reload-databases.ts";
export { formatWatchEvent, type WatchEvent } from "./watch/watch-event.ts";
export { DEFAULT_DEBOUNCE_MS, WatchModeError, watchDatabases, type DatabaseWatcher, type WatchOptions } from "./watch/watch-databases.ts";
export { isIgnored, isInside, watchTargets, type WatchTarget } from "./watch/watch-targets.ts";
