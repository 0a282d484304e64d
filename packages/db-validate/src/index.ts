export {
  SchemaValidationError,
  type Diagnostic,
  type ExemptedDiagnostic,
  type ManifestValidator,
  type SchemaEdit,
  type Severity,
  type SuggestedFix,
  type ValidationOutcome,
} from "@ydtb/db-registry";
export { CORE_TABLES, TABLE_PREFIX, WORKSPACE_ID_COLUMN, WORKSPACE_ID_SQL_TYPE, WORKSPACES_TABLE } from "./constants.ts";
export { createValidatingRegistry, type ValidatingRegistryOptions } from "./create-validating-registry.ts";
export { applyExemptions, exemptionMatches } from "./exemptions.ts";
export { formatValidationReport, type FormatValidationOptions } from "./format-validation-report.ts";
export { DEPENDENCY_GRAPH_RULE, graphDiagnostics } from "./graph-diagnostics.ts";
export { isSnakeCase, packageShortName, suggestedTableName, tablePrefixOf, toSnakeCase } from "./naming.ts";
export { buildTableIndex, type Finding, type Owner, type Report, type Rule, type RuleContext, type TableIndex } from "./rule.ts";
export {
  columnTypes,
  coreTableDuplicate,
  foreignKeyType,
  globalTableScope,
  operatorClass,
  sharedNames,
  sqlObjects,
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
export { objectsOfSql, prepareSqlObjects, preparedSqlObjects, type SqlObject } from "./sql-objects.ts";
export { importsFor, renderFixes } from "./suggested-fix.ts";
export { describeTable, sqlTypeOf, type TableInfo } from "./table-info.ts";
export { namedObjects, type NamedObject, type Namespace } from "./named-objects.ts";
export { OPERATOR_CLASS_TYPES } from "./rules/operator-class.ts";
export { validateIndexed, validateManifest } from "./validate-manifest.ts";
export { validateManifests, type PackageReport, type ValidateManifestsOptions, type ValidationReport } from "./validate-manifests.ts";
