export {
  DEFAULT_POLICY_MIGRATION_NAME,
  MAX_WORKSPACE_ID_LENGTH,
  POLICY_MARKER,
  POLICY_NAME,
  RUNTIME_ROLE,
  WORKSPACE_CONDITION,
  WORKSPACE_ID_COLUMN,
  WORKSPACE_SETTING,
} from "./constants.ts";
export { desiredPolicyState } from "./desired-policy-state.ts";
export { DbAccessError, type DbAccessErrorCode } from "./errors.ts";
export { generatePolicyMigration, type GeneratePolicyOptions, type GeneratePolicyResult } from "./generate-policy-migration.ts";
export { missingPolicies, type MissingPolicy } from "./missing-policies.ts";
export { EMPTY_POLICY_STATE, ENSURE_RUNTIME_ROLE_SQL, policyMarker, policyMigrationSql, samePolicyState, type PolicyState } from "./policy-sql.ts";
export { parsePolicyMarker, readPolicyState, type PolicyStateResult } from "./policy-state.ts";
export { isDeclaredGlobal, scopedTables, sqlTableName, workspaceTableNames, type ScopedTable } from "./table-scope.ts";
export { withWorkspace, type WithWorkspaceOptions } from "./with-workspace.ts";
export { sqlLiteral, type AnyPgDatabase, type WorkspaceTransaction } from "./workspace-transaction.ts";
export { workspacePolicyMigration, type WorkspacePolicyMigrationInput } from "./workspace-policy-migration.ts";
export { grantedViewNames, scopedViews, tablesNamedIn, type ScopedView } from "./view-scope.ts";
export { normalizePolicyExpression, rlsDrift, type RlsDrift, type RlsDriftProblem } from "./rls-drift.ts";
