import type { SchemaEdit } from "@ydtb/db-registry";
import type { ForeignKey } from "drizzle-orm/pg-core";
import { fixOf } from "../suggested-fix.ts";
import { WORKSPACE_ID_COLUMN, WORKSPACES_TABLE } from "../constants.ts";
import { quote } from "../naming.ts";
import { workspaceTables, type Rule } from "../rule.ts";
import { describeTable } from "../table-info.ts";

/**
 * Error: every workspace-scoped table has a foreign key from `workspace_id` to
 * `ydtb_workspaces.id` with `ON DELETE CASCADE`, so a row cannot name a workspace that does
 * not exist and leaves with its workspace.
 *
 * @example
 * workspaceId: varchar("workspace_id", { length: 20 }).notNull()
 *   .references(() => workspaces.id, { onDelete: "cascade" })  // passes
 */
export const workspaceForeignKey: Rule = {
  name: "workspace-foreign-key",
  severity: "error",
  description: `${WORKSPACE_ID_COLUMN} references ${WORKSPACES_TABLE}.id with ON DELETE CASCADE.`,
  check(ctx, report) {
    for (const t of workspaceTables(ctx)) {
      if (!t.columns.has(WORKSPACE_ID_COLUMN)) continue; // workspace-column reports it
      const key = ctx.keyOf(t, WORKSPACE_ID_COLUMN);
      const workspaces = ctx.resolve(WORKSPACES_TABLE);
      const workspacesVar = workspaces ? ctx.variableOf(workspaces) : "workspaces";
      const toWorkspaces = t.config.foreignKeys.filter((fk) => {
        const ref = fk.reference();
        return (
          ref.columns.length === 1 &&
          ref.columns[0]?.name === WORKSPACE_ID_COLUMN &&
          describeTable(ref.foreignTable).name === WORKSPACES_TABLE &&
          ref.foreignColumns[0]?.name === "id"
        );
      });
      if (toWorkspaces.some((fk) => fk.onDelete === "cascade")) continue;
      const existing = toWorkspaces[0];
      const inline = toWorkspaces.every((fk) => t.inlineForeignKeys.has(fk));
      const table = ctx.variableOf({ manifest: ctx.manifest, info: t });
      const code = `.references(() => ${workspacesVar}.id, { onDelete: "cascade" })`;
      report({
        table: t.name,
        column: WORKSPACE_ID_COLUMN,
        message: existing
          ? `The foreign key from ${quote(WORKSPACE_ID_COLUMN)} of table ${quote(t.name)} in ${quote(ctx.packageName)} to ${quote(`${WORKSPACES_TABLE}.id`)} is ON DELETE ${(existing.onDelete ?? "no action").toUpperCase()}; make it ON DELETE CASCADE so a workspace's rows leave with it.`
          : `Column ${quote(WORKSPACE_ID_COLUMN)} of table ${quote(t.name)} in ${quote(ctx.packageName)} has no foreign key to ${quote(`${WORKSPACES_TABLE}.id`)}; add one with ON DELETE CASCADE so no row names a workspace that does not exist.`,
        // An inline key is replaced on its column; a key in the extra config is rewritten there,
        // its name and ON UPDATE kept.
        fixes: [fixOf(inline ? [{ kind: "edit-column", table, column: key, ...(existing ? { drop: ["references"] } : {}), append: code }] : inConfig(toWorkspaces.filter((fk) => !t.inlineForeignKeys.has(fk)), table, key, workspacesVar))],
      });
    }
  },
};

/** Each `foreignKey({ … })` entry on the workspace column rewritten with ON DELETE CASCADE. */
function inConfig(keys: readonly ForeignKey[], table: string, key: string, workspacesVar: string): SchemaEdit[] {
  return keys.map((fk) => {
    const name = fk.reference().name;
    const onUpdate = fk.onUpdate && fk.onUpdate !== "no action" ? `.onUpdate(${quote(fk.onUpdate)})` : "";
    const code = `foreignKey({ ${name !== undefined ? `name: ${quote(name)}, ` : ""}columns: [t.${key}], foreignColumns: [${workspacesVar}.id] }).onDelete("cascade")${onUpdate}`;
    return { kind: "replace-entry", table, entry: { call: "foreignKey", ...(name !== undefined ? { name } : {}), on: [key] }, code };
  });
}
