import type { Rule } from "../rule.ts";
import { columnTypes } from "./column-types.ts";
import { crossWorkspaceReference } from "./cross-workspace-reference.ts";
import { documentation } from "./documentation.ts";
import { naming } from "./naming.ts";
import { tableOwnership } from "./table-ownership.ts";
import { tablePrefix } from "./table-prefix.ts";
import { uniqueIncludesWorkspace } from "./unique-includes-workspace.ts";
import { unusedExemption } from "./unused-exemption.ts";
import { validSchema } from "./valid-schema.ts";
import { workspaceColumn } from "./workspace-column.ts";
import { workspaceForeignKey } from "./workspace-foreign-key.ts";
import { workspaceIndex } from "./workspace-index.ts";
import { workspaceRls } from "./workspace-rls.ts";

export {
  columnTypes,
  crossWorkspaceReference,
  documentation,
  naming,
  tableOwnership,
  tablePrefix,
  uniqueIncludesWorkspace,
  unusedExemption,
  validSchema,
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
  validSchema,
  workspaceRls,
  tableOwnership,
  workspaceIndex,
  naming,
  columnTypes,
  documentation,
  unusedExemption,
]);
