import type { SuggestedFix } from "@ydtb/db-registry";
import { fixOf } from "../suggested-fix.ts";
import { uniqueKeyName } from "drizzle-orm/pg-core";
import { WORKSPACE_ID_COLUMN } from "../constants.ts";
import { quote } from "../naming.ts";
import { workspaceTables, type Rule } from "../rule.ts";
import { indexColumnNames } from "../table-info.ts";

/** `workspaceId`, `WorkspaceID`, `workspace__id`: the workspace column misnamed. */
export function isWorkspaceLookalike(column: string): boolean {
  return column !== WORKSPACE_ID_COLUMN && column.replace(/_/g, "").toLowerCase() === "workspaceid";
}

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
      const table = ctx.variableOf({ manifest: ctx.manifest, info: t });
      const flag = (kind: "constraint" | "index", label: string, name: string, columns: readonly (string | undefined)[], fix: SuggestedFix | string) => {
        // A column that is the workspace column under another name: workspace-column tells the
        // author to rename it, after which this unique includes workspace_id.
        if (columns.some((c) => c !== undefined && isWorkspaceLookalike(c))) return;
        const shown = columns.map((c) => c ?? "<expression>");
        report({
          table: t.name,
          ...(columns.length === 1 && columns[0] ? { column: columns[0] } : {}),
          ...(kind === "index" ? { index: name } : { constraint: name }),
          message:
            `The ${label} ${quote(name)} on (${shown.join(", ")}) of table ${quote(t.name)} in ${quote(ctx.packageName)} ` +
            `does not include ${quote(WORKSPACE_ID_COLUMN)}: it is enforced across workspaces and tells one workspace what another holds; make it unique per workspace, on (${[WORKSPACE_ID_COLUMN, ...shown].join(", ")}). ` +
            `If the value is a random secret or public id looked up before the workspace is known (an API key hash, a token, an invite code), keep it and exempt this ${kind}: ` +
            `exemptions: [{ rule: "unique-includes-workspace", table: ${quote(t.name)}, ${kind}: ${quote(name)}, reason: "…" }].`,
          ...(typeof fix === "string" ? { suggestion: fix } : { fixes: [fix] }),
        });
      };
      const keys = (columns: readonly (string | undefined)[]) => columns.map((c) => (c ? `t.${ctx.keyOf(t, c)}` : "sql`…`")).join(", ");
      for (const u of t.config.uniqueConstraints) {
        const columns = u.columns.map((c) => c.name);
        if (columns.includes(WORKSPACE_ID_COLUMN)) continue;
        const name = u.getName() ?? uniqueKeyName(t.table, columns);
        const on = columns.map((c) => ctx.keyOf(t, c));
        flag("constraint", "unique constraint", name, columns, fixOf([{ kind: "replace-entry", table, entry: { call: "unique", name, on }, code: `unique(${quote(name)}).on(${ws}, ${keys(columns)})` }]));
      }
      for (const c of t.config.columns) {
        if (!c.isUnique || c.name === WORKSPACE_ID_COLUMN) continue;
        const name = c.uniqueName ?? `${t.baseName}_${c.name}_unique`;
        flag(
          "constraint",
          "column-level unique",
          name,
          [c.name],
          fixOf([
            { kind: "edit-column", table, column: ctx.keyOf(t, c.name), drop: ["unique"] },
            { kind: "add-entry", table, code: `unique(${quote(name)}).on(${ws}, t.${ctx.keyOf(t, c.name)})` },
          ]),
        );
      }
      for (const i of t.config.indexes) {
        if (!i.config.unique) continue;
        const columns = indexColumnNames(i);
        if (columns.includes(WORKSPACE_ID_COLUMN)) continue;
        // drizzle-kit's name for an unnamed index.
        const name = i.config.name ?? `${t.baseName}_${columns.map((c) => c ?? "").join("_")}_index`;
        const code = `uniqueIndex(${quote(name)}).on(${ws}, ${keys(columns)})`;
        const known = columns.every((c) => c !== undefined);
        const on = columns.map((c) => ctx.keyOf(t, c ?? ""));
        const entry = { call: "uniqueIndex", name, on };
        // A partial or expression index keeps what only its source says (its .where(…), its
        // expressions): workspace_id is put first in its .on(…), the rest left as written. An
        // unnamed expression index cannot be found in the source by its columns: text only.
        const fix = !i.config.where && known ? fixOf([{ kind: "replace-entry", table, entry, code }]) : known || i.config.name ? fixOf([{ kind: "first-on", table, entry, column: ws.slice(2) }]) : `${code}${i.config.where ? ".where(…)" : ""}`;
        flag("index", "unique index", name, columns, fix);
      }
    }
  },
};
