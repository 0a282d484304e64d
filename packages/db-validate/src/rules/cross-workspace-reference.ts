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

function onDeleteNote(action: string | undefined): string[] {
  if (action !== "set null" && action !== "set default") return [];
  return [
    `// ON DELETE ${action.toUpperCase()} on a composite key would also clear workspace_id, which is NOT NULL: deleting the referenced row would fail.`,
    `// Choose: leave it out (NO ACTION: the delete is refused while rows point at it, as written below), .onDelete("cascade") (the rows go with it),`,
    `// or keep the rows and clear only the reference with SQL in a migration: ON DELETE ${action.toUpperCase()} (<the reference column>) (PostgreSQL 15+).`,
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
        const composite = columns.length > 1 && at >= 0 && foreign[at] === WORKSPACE_ID_COLUMN;
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
        const suggestion: string[] = [];
        if (t.inlineForeignKeys.has(fk)) {
          const inlineColumn = columns[0] ?? "";
          suggestion.push(`// remove .references(…) from ${ctx.keyOf(t, inlineColumn)} (the single-column key it declares is the one at fault), then in the table's extra config:`);
        }
        if (!composite) {
          suggestion.push(
            ...onDeleteNote(fk.onDelete),
            `foreignKey({ columns: [${[WORKSPACE_ID_COLUMN, ...pairs.map(([c]) => c)].map((c) => `t.${ctx.keyOf(t, c)}`).join(", ")}], ` +
              `foreignColumns: [${wanted.map((c) => `${targetVar}.${ctx.keyOf(target.info, c)}`).join(", ")}] })${onDeleteCode(fk.onDelete)}`,
          );
        }
        const keyColumns = composite ? foreign : wanted;
        if (!(composite ? keyed : targetKeyed)) {
          suggestion.push(`// on ${quote(target.info.name)}${here}:\nunique().on(${keyColumns.map((c) => `t.${ctx.keyOf(target.info, c)}`).join(", ")})`);
        }
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
          suggestion: suggestion.join("\n"),
        });
      }
    }
  },
};
