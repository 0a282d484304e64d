import type { Rule } from "../rule.ts";
import { columnTypes } from "./column-types.ts";
import { coreTableDuplicate } from "./core-table-duplicate.ts";
import { foreignKeyType } from "./foreign-key-type.ts";
import { globalTableScope } from "./global-table-scope.ts";
import { operatorClass } from "./operator-class.ts";
import { sharedNames } from "./shared-names.ts";
import { sqlObjects } from "./sql-objects.ts";
import { crossWorkspaceReference } from "./cross-workspace-reference.ts";
import { documentation } from "./documentation.ts";
import { naming } from "./naming.ts";
import { tableOwnership } from "./table-ownership.ts";
import { tablePrefix } from "./table-prefix.ts";
import { uniqueIncludesWorkspace } from "./unique-includes-workspace.ts";
import { unusedExemption } from "./unused-exemption.ts";
import { validSchema } from "./valid-schema.ts";
import { viewIsolation } from "./view-isolation.ts";
import { workspaceColumn } from "./workspace-column.ts";
import { workspaceForeignKey } from "./workspace-foreign-key.ts";
import { workspaceIndex } from "./workspace-index.ts";
import { workspaceRls } from "./workspace-rls.ts";

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
  tableOwnership,
  tablePrefix,
  uniqueIncludesWorkspace,
  unusedExemption,
  validSchema,
  viewIsolation,
  workspaceColumn,
  workspaceForeignKey,
  workspaceIndex,
  workspaceRls,
};

/**
 * Every rule, in the order they run: errors first, then warnings, then `unused-exemption`
 * (which reads what the others reported). The command line prints `name`, `severity` and
 * `description` of each.
 *
 * @example
 * for (const r of RULES) console.log(`${r.name} (${r.severity}): ${r.description}`);
 */
export const RULES: readonly Rule[] = Object.freeze([
  tablePrefix,
  workspaceColumn,
  workspaceForeignKey,
  crossWorkspaceReference,
  uniqueIncludesWorkspace,
  globalTableScope,
  foreignKeyType,
  operatorClass,
  validSchema,
  workspaceRls,
  viewIsolation,
  tableOwnership,
  sharedNames,
  sqlObjects,
  workspaceIndex,
  coreTableDuplicate,
  naming,
  columnTypes,
  documentation,
  unusedExemption,
]);
