import { WORKSPACE_ID_COLUMN } from "../constants.ts";
import { quote } from "../naming.ts";
import { workspaceTables, type Rule } from "../rule.ts";
import { indexColumnNames } from "../table-info.ts";

/**
 * Error: every unique constraint, unique index and column-level `.unique()` of a
 * workspace-scoped table includes `workspace_id`. A global unique tells one workspace what
 * exists in another (its insert fails on the other's value). Primary keys are not checked:
 * a single-column `id` key is safe because ids are random.
 *
 * @example
 * slug: text("slug").unique()                     // unique-includes-workspace error
 * unique().on(t.workspaceId, t.slug)              // passes
 */
export const uniqueIncludesWorkspace: Rule = {
  name: "unique-includes-workspace",
  severity: "error",
  description: `Every unique constraint or unique index of a workspace table includes ${WORKSPACE_ID_COLUMN}.`,
  check(ctx, report) {
    for (const t of workspaceTables(ctx)) {
      const ws = `t.${ctx.keyOf(t, WORKSPACE_ID_COLUMN)}`;
      const flag = (kind: string, name: string | undefined, columns: readonly (string | undefined)[], code: string) => {
        const shown = columns.map((c) => c ?? "<expression>");
        report({
          table: t.name,
          ...(columns.length === 1 && columns[0] ? { column: columns[0] } : {}),
          message:
            `The ${kind}${name ? ` ${quote(name)}` : ""} on (${shown.join(", ")}) of table ${quote(t.name)} in ${quote(ctx.packageName)} ` +
            `does not include ${quote(WORKSPACE_ID_COLUMN)}: it is enforced across workspaces and tells one workspace what another holds; make it unique per workspace, on (${[WORKSPACE_ID_COLUMN, ...shown].join(", ")}).`,
          suggestion: code,
        });
      };
      const keys = (columns: readonly (string | undefined)[]) => columns.map((c) => (c ? `t.${ctx.keyOf(t, c)}` : "sql`…`")).join(", ");
      for (const u of t.config.uniqueConstraints) {
        const columns = u.columns.map((c) => c.name);
        if (columns.includes(WORKSPACE_ID_COLUMN)) continue;
        const name = u.getName();
        flag("unique constraint", name, columns, `unique(${name ? quote(name) : ""}).on(${ws}, ${keys(columns)})`);
      }
      for (const c of t.config.columns) {
        if (!c.isUnique || c.name === WORKSPACE_ID_COLUMN) continue;
        const name = c.uniqueName ?? `${t.baseName}_${c.name}_unique`;
        flag("column-level unique", name, [c.name], `// drop .unique() from ${quote(c.name)}, and in the table's extra config:\nunique(${quote(name)}).on(${ws}, t.${ctx.keyOf(t, c.name)})`);
      }
      for (const i of t.config.indexes) {
        if (!i.config.unique) continue;
        const columns = indexColumnNames(i);
        if (columns.includes(WORKSPACE_ID_COLUMN)) continue;
        const name = i.config.name;
        flag("unique index", name, columns, `uniqueIndex(${name ? quote(name) : ""}).on(${ws}, ${keys(columns)})${i.config.where ? ".where(…)" : ""}`);
      }
    }
  },
};
