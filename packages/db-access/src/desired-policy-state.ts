import type { DatabaseManifest } from "@ydtb/db-registry";
import { schemasOf, type PolicyState } from "./policy-sql.ts";
import { scopedTables } from "./table-scope.ts";
import { grantedViewNames } from "./view-scope.ts";

/**
 * The state a package's policy migrations should reach: its workspace-scoped tables carry the
 * policy, every other table of it is only granted to the runtime role; its `security_invoker`
 * views (and materialized views declared global) are granted SELECT; the schemas other than
 * `public` that hold any of them are granted USAGE.
 *
 * @example
 * desiredPolicyState(coreDatabase).workspaceTables; // ["ydtb_workspace_members", "ydtb_workspace_tools"]
 */
export function desiredPolicyState(manifest: DatabaseManifest): PolicyState {
  const tables = scopedTables(manifest);
  const views = grantedViewNames(manifest);
  const schemas = schemasOf([...tables.map((t) => t.name), ...views]);
  return {
    workspaceTables: tables.filter((t) => t.workspaceScoped).map((t) => t.name),
    globalTables: tables.filter((t) => !t.workspaceScoped).map((t) => t.name),
    ...(views.length ? { views } : {}),
    ...(schemas.length ? { schemas } : {}),
  };
}
