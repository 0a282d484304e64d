import { WORKSPACE_ID_COLUMN } from "../constants.ts";
import { quote } from "../naming.ts";
import type { Rule } from "../rule.ts";

/**
 * Error: a table declared global (`globalTables`) has no foreign key to a workspace-scoped
 * table. A global row is seen from every workspace: pointing it at one workspace's row leaks
 * that row across workspaces, and deleting the workspace would have to reach into shared data.
 * (The other direction, a workspace table referencing a global one, is fine.)
 *
 * @example
 * globalTables: { ydtb_crm_countries: "ISO reference data" }
 * // ydtb_crm_countries.default_deal_id → ydtb_crm_deals: global-table-scope error
 */
export const globalTableScope: Rule = {
  name: "global-table-scope",
  severity: "error",
  description: "A table declared global does not reference a workspace table (workspace tables may reference global ones).",
  check(ctx, report) {
    for (const t of ctx.tables) {
      if (ctx.isWorkspaceScoped({ manifest: ctx.manifest, info: t })) continue;
      for (const fk of t.config.foreignKeys) {
        const ref = fk.reference();
        const target = ctx.resolve(ref.foreignTable);
        if (!target || !ctx.isWorkspaceScoped(target) || !target.info.columns.has(WORKSPACE_ID_COLUMN)) continue;
        const columns = ref.columns.map((c) => c.name);
        report({
          table: t.name,
          ...(columns[0] ? { column: columns[0] } : {}),
          constraint: fk.getName(),
          message:
            `Table ${quote(t.name)} of ${quote(ctx.packageName)} is declared global, but its foreign key (${columns.join(", ")}) references the workspace table ${quote(target.info.name)}: ` +
            `a row every workspace sees would point at one workspace's row. Move the reference to a workspace table (add ${quote(WORKSPACE_ID_COLUMN)} and drop the table from globalTables), or drop it.`,
        });
      }
    }
  },
};
