import type { SchemaEdit } from "@ydtb/db-registry";
import { fixOf } from "../suggested-fix.ts";
import { WORKSPACE_ID_COLUMN } from "../constants.ts";
import { quote } from "../naming.ts";
import { workspaceTables, type Rule } from "../rule.ts";
import { sameSet } from "../table-info.ts";

const list = (names: readonly string[]) => `(${names.join(", ")})`;

/** The ON DELETE of the composite key: kept, except SET NULL / SET DEFAULT, which would also clear workspace_id. */
function onDeleteCode(action: string | undefined): string {
  if (!action || action === "no action" || action === "set null" || action === "set default") return "";
  return `.onDelete(${quote(action)})`;
}

/** SET NULL / SET DEFAULT cannot stay on a composite key: the author chooses what a delete does instead. */
function onDeleteChoices(action: string | undefined): readonly { readonly label?: string; readonly code: string }[] {
  if (action !== "set null" && action !== "set default") return [{ code: onDeleteCode(action) }];
  const was = `ON DELETE ${action.toUpperCase()} would also clear workspace_id (NOT NULL), so deleting the referenced row would fail`;
  return [
    { label: `${was}; NO ACTION: the delete is refused while rows point at it`, code: "" },
    { label: `${was}; CASCADE: the rows that point at it are deleted with it`, code: `.onDelete("cascade")` },
  ];
}

/**
 * Error: a foreign key between two workspace-scoped tables is composite,
 * `(workspace_id, x_id) → (workspace_id, id)`, and its target has a primary key or unique
 * constraint on exactly the referenced columns. A plain `x_id → id` lets a row point at
 * another workspace's row: foreign keys ignore row-level security. The target may belong to
 * another registered package.
 *
 * @example
 * foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] })
 * // with, on notes: unique().on(t.workspaceId, t.id)
 */
export const crossWorkspaceReference: Rule = {
  name: "cross-workspace-reference",
  severity: "error",
  description: `A foreign key between workspace tables is (${WORKSPACE_ID_COLUMN}, x_id) → (${WORKSPACE_ID_COLUMN}, id), onto a key of exactly those columns.`,
  check(ctx, report) {
    for (const t of workspaceTables(ctx)) {
      for (const fk of t.config.foreignKeys) {
        const ref = fk.reference();
        const target = ctx.resolve(ref.foreignTable);
        if (!target || !ctx.isWorkspaceScoped(target)) continue; // valid-schema reports a missing target
        const columns = ref.columns.map((c) => c.name);
        const foreign = ref.foreignColumns.map((c) => c.name);
        const at = columns.indexOf(WORKSPACE_ID_COLUMN);
        // workspace_id paired with the target's workspace_id: the key cannot leave the workspace,
        // whether it carries more columns or none (a per-workspace settings table keyed on it).
        const composite = at >= 0 && foreign[at] === WORKSPACE_ID_COLUMN;
        const keyed = target.info.keySets.some((set) => sameSet(set, foreign));
        if (composite && keyed) continue;

        // The pairs that are not the workspace: what the suggested composite key carries.
        // (Paired in order, so a key that paired workspace_id with another column comes out straight.)
        const targets = foreign.filter((f) => f !== WORKSPACE_ID_COLUMN);
        const pairs = columns.filter((c) => c !== WORKSPACE_ID_COLUMN).map((c, i) => [c, targets[i] ?? "id"] as const);
        const wanted = [WORKSPACE_ID_COLUMN, ...pairs.map(([, f]) => f)];
        // A self-reference names the table's own columns through `t`: naming the table variable
        // inside its own definition makes strict TypeScript give up on its type (TS7022).
        const self = target.info.table === t.table;
        const targetVar = self ? "t" : ctx.variableOf(target);
        const here = target.manifest === ctx.manifest ? "" : ` (in ${quote(target.manifest.packageName)})`;
        const targetKeyed = target.info.keySets.some((set) => sameSet(set, wanted));
        const table = ctx.variableOf({ manifest: ctx.manifest, info: t });
        const edits: SchemaEdit[] = [];
        // The single-column key an inline .references() declares is the one at fault: it goes.
        if (t.inlineForeignKeys.has(fk)) edits.push({ kind: "edit-column", table, column: ctx.keyOf(t, columns[0] ?? ""), drop: ["references"] });
        const keyColumns = composite ? foreign : wanted;
        const targetEdits: SchemaEdit[] = [];
        // Another package's table is its author's to change: the message says what, no edit of it is offered.
        if (!(composite ? keyed : targetKeyed) && target.manifest === ctx.manifest) {
          targetEdits.push({ kind: "add-entry", table: ctx.variableOf(target), code: `unique().on(${keyColumns.map((c) => `t.${ctx.keyOf(target.info, c)}`).join(", ")})` });
        }
        const fixes = onDeleteChoices(composite ? undefined : fk.onDelete).map(({ label, code }) =>
          fixOf(
            [
              ...edits,
              ...(composite
                ? []
                : [
                    {
                      kind: "add-entry" as const,
                      table,
                      code:
                        `foreignKey({ columns: [${[WORKSPACE_ID_COLUMN, ...pairs.map(([c]) => c)].map((c) => `t.${ctx.keyOf(t, c)}`).join(", ")}], ` +
                        `foreignColumns: [${wanted.map((c) => `${targetVar}.${ctx.keyOf(target.info, c)}`).join(", ")}] })${code}`,
                    },
                  ]),
              ...targetEdits,
            ],
            label,
          ),
        );
        const fix = composite
          ? `add a unique constraint on ${list(foreign)} to ${quote(target.info.name)}${here}, so the composite key has a target`
          : `make it composite, ${list([WORKSPACE_ID_COLUMN, ...pairs.map(([c]) => c)])} → ${list(wanted)}` +
            (targetKeyed ? "" : `, and give ${quote(target.info.name)}${here} a unique constraint on ${list(wanted)}`);
        report({
          table: t.name,
          ...(pairs[0] ? { column: pairs[0][0] } : {}),
          constraint: fk.getName(),
          message:
            `The foreign key ${list(columns)} of table ${quote(t.name)} in ${quote(ctx.packageName)} → ${quote(target.info.name)}${list(foreign)}${here} ` +
            (composite
              ? `targets columns no primary key or unique constraint of ${quote(target.info.name)} covers exactly`
              : `does not carry ${quote(WORKSPACE_ID_COLUMN)}: a row can point at another workspace's row`) +
            `; ${fix}.`,
          ...(fixes.some((f) => f.edits.length > 0) ? { fixes } : {}),
        });
      }
    }
  },
};
