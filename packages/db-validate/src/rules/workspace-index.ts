import { fixOf } from "../suggested-fix.ts";
import { WORKSPACE_ID_COLUMN } from "../constants.ts";
import { quote, tablePrefixOf } from "../naming.ts";
import { workspaceTables, type Rule } from "../rule.ts";
import { indexColumnNames } from "../table-info.ts";

/** A name under the package prefix (shared-names asks it of index names), from a table's. */
function prefixed(packageName: string, base: string): string {
  const prefix = tablePrefixOf(packageName);
  return base.startsWith(prefix) ? base : `${prefix}${base.replace(/^ydtb_/, "")}`;
}

/**
 * Warning: a workspace-scoped table has an index, primary key or unique constraint whose
 * leading column is `workspace_id`. Every query filters by workspace, and PostgreSQL does
 * not index referencing columns by itself.
 *
 * @example
 * (t) => [index("ydtb_basic_notes_workspace_created_idx").on(t.workspaceId, t.createdAt)]
 */
export const workspaceIndex: Rule = {
  name: "workspace-index",
  severity: "warning",
  description: `A workspace table has an index (or primary key) that leads with ${WORKSPACE_ID_COLUMN}.`,
  check(ctx, report) {
    for (const t of workspaceTables(ctx)) {
      if (!t.columns.has(WORKSPACE_ID_COLUMN)) continue; // workspace-column reports it
      const leads =
        t.primaryKey[0] === WORKSPACE_ID_COLUMN ||
        t.config.indexes.some((i) => indexColumnNames(i)[0] === WORKSPACE_ID_COLUMN) ||
        t.config.uniqueConstraints.some((u) => u.columns[0]?.name === WORKSPACE_ID_COLUMN);
      if (leads) continue;
      report({
        table: t.name,
        column: WORKSPACE_ID_COLUMN,
        message: `Table ${quote(t.name)} of ${quote(ctx.packageName)} has no index or primary key that starts with ${quote(WORKSPACE_ID_COLUMN)}; every query filters by workspace: add one (or lead the primary key with it).`,
        fixes: [fixOf([{ kind: "add-entry", table: ctx.variableOf({ manifest: ctx.manifest, info: t }), code: `index(${quote(`${prefixed(ctx.packageName, t.baseName)}_${WORKSPACE_ID_COLUMN}_idx`)}).on(t.${ctx.keyOf(t, WORKSPACE_ID_COLUMN)})` }])],
      });
    }
  },
};
