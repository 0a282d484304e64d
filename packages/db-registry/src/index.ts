export { compareNames } from "./compare-names.ts";
export { impliesCore } from "./implies-core.ts";
export { defineDatabase, formatPath, isDatabaseManifest } from "./define-database.ts";
export { bindManifest, migrationsFolder, packageDirOf } from "./manifest-location.ts";
export { FIELD_HELP } from "./manifest-input-schema.ts";
export { isGlobalTable, WORKSPACE_COLUMN, workspaceTables } from "./table-scope.ts";
export type { Diagnostic, EntryRef, ExemptedDiagnostic, SchemaEdit, Severity, SuggestedFix, ValidationOutcome } from "./diagnostic.ts";
export {
  DEFAULT_MANIFEST_FILE,
  discoverDatabases,
  discoverDatabasesOrThrow,
  findDatabasePackages,
  IGNORED_DIRECTORIES,
  workspacePatterns,
  type DatabasePackage,
  type DiscoverOptions,
  type DiscoveryResult,
} from "./discover-databases.ts";
export {
  DiscoveryError,
  DuplicatePackageError,
  ManifestError,
  NotAManifestError,
  RegistryError,
  SchemaValidationError,
  TableConflictError,
  ToolConflictError,
  type DiscoveryFailure,
  type ManifestIssue,
} from "./errors.ts";
export {
  CORE_PACKAGE,
  MANIFEST_BRAND,
  type DatabaseManifest,
  type DatabaseManifestInput,
  type Exemption,
  type MigrationDefinition,
  type TableDescription,
  type ToolDefinition,
} from "./manifest.ts";
export type { Orm } from "./orm.ts";
export { parseDuration } from "./parse-duration.ts";
export {
  createRegistry,
  DEFAULT_REGISTRY_MODE,
  manifestChanges,
  type ManifestChanges,
  type ManifestValidator,
  type Registration,
  type Registry,
  type RegistryEvents,
  type RegistryOptions,
} from "./registry.ts";
export { schemaEntities, tableName, type SchemaEntities } from "./schema-entities.ts";
