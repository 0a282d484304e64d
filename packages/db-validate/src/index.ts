export {
  SchemaValidationError,
  type Diagnostic,
  type ExemptedDiagnostic,
  type ManifestValidator,
  type Severity,
  type ValidationOutcome,
} from "@ydtb/db-registry";
export { CORE_GLOBAL_TABLES, TABLE_PREFIX, WORKSPACE_ID_COLUMN, WORKSPACE_ID_SQL_TYPE, WORKSPACES_TABLE } from "./constants.ts";
export { createValidatingRegistry, type ValidatingRegistryOptions } from "./create-validating-registry.ts";
export { applyExemptions, exemptionMatches } from "./exemptions.ts";
export { formatValidationReport } from "./format-validation-report.ts";
export { isSnakeCase, packageShortName, suggestedTableName, tablePrefixOf, toSnakeCase } from "./naming.ts";
export { buildTableIndex, type Finding, type Owner, type Report, type Rule, type RuleContext, type TableIndex } from "./rule.ts";
export {
  columnTypes,
  crossWorkspaceReference,
  documentation,
  naming,
  RULES,
  tableOwnership,
  tablePrefix,
  uniqueIncludesWorkspace,
  unusedExemption,
  validSchema,
  workspaceColumn,
  workspaceForeignKey,
  workspaceIndex,
} from "./rules/index.ts";
export { describeTable, type TableInfo } from "./table-info.ts";
export { validateIndexed, validateManifest } from "./validate-manifest.ts";
export { validateManifests, type PackageReport, type ValidationReport } from "./validate-manifests.ts";
