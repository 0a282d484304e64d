import { fixOf } from "../suggested-fix.ts";
import { WORKSPACE_ID_COLUMN, WORKSPACE_ID_SQL_TYPE, WORKSPACES_TABLE } from "../constants.ts";
import { quote } from "../naming.ts";
import { indexEntry, workspaceTables, type Report, type Rule, type RuleContext } from "../rule.ts";

const LENGTH = /^varchar\((\d+)\)$/.exec(WORKSPACE_ID_SQL_TYPE)?.[1] ?? "20";
const COLUMN_CODE = `varchar("${WORKSPACE_ID_COLUMN}", { length: ${LENGTH} }).notNull().references(() => workspaces.id, { onDelete: "cascade" })`;

/**
 * Error: every workspace-scoped table has `workspace_id` of the type of `ydtb_workspaces.id`
 * (`varchar(20)`), NOT NULL (a NULL skips every foreign-key check). In `@ydtb/core`, also
 * checks that `ydtb_workspaces.id` itself is the `varchar(20)` primary key.
 *
 * @example
 * workspaceId: varchar("workspace_id", { length: 20 }).notNull()  // passes
 * workspaceId: text("workspace_id")                              // workspace-column error (type, null)
 */
export const workspaceColumn: Rule = {
  name: "workspace-column",
  severity: "error",
  description: `Every package table has ${WORKSPACE_ID_COLUMN} ${WORKSPACE_ID_SQL_TYPE} NOT NULL, the type of ${WORKSPACES_TABLE}.id.`,
  check(ctx, report) {
    for (const t of workspaceTables(ctx)) {
      const table = ctx.variableOf({ manifest: ctx.manifest, info: t });
      const column = t.columns.get(WORKSPACE_ID_COLUMN);
      if (!column) {
        const lookalike = [...t.columns.keys()].find((n) => n.replace(/_/g, "").toLowerCase() === "workspaceid");
        report({
          table: t.name,
          message: lookalike
            ? `Table ${quote(t.name)} of ${quote(ctx.packageName)} names its workspace column ${quote(lookalike)}; the SQL name must be ${quote(WORKSPACE_ID_COLUMN)}: write varchar(${quote(WORKSPACE_ID_COLUMN)}, { length: ${LENGTH} }).`
            : `Table ${quote(t.name)} of ${quote(ctx.packageName)} has no ${quote(WORKSPACE_ID_COLUMN)} column; every row of a package table belongs to one workspace: add the column (${WORKSPACE_ID_SQL_TYPE} NOT NULL, referencing ${WORKSPACES_TABLE}.id).`,
          fixes: [
            fixOf([
              lookalike
                ? { kind: "edit-column", table, column: ctx.keyOf(t, lookalike), name: WORKSPACE_ID_COLUMN }
                : { kind: "add-column", table, column: "workspaceId", code: COLUMN_CODE },
            ]),
          ],
        });
        continue;
      }
      const problems: string[] = [];
      const type = column.getSQLType();
      if (type !== WORKSPACE_ID_SQL_TYPE) problems.push(`is ${type}, not ${WORKSPACE_ID_SQL_TYPE} like ${WORKSPACES_TABLE}.id`);
      if (!column.notNull) problems.push("allows NULL, which skips every foreign-key check on it");
      if (problems.length === 0) continue;
      // Indexes that name an operator class of the old type (uuid_ops, …) fail once the type changes.
      const withOp = t.config.indexes.filter((i) => i.config.columns.some((c) => "indexConfig" in c && c.name === WORKSPACE_ID_COLUMN && c.indexConfig?.opClass));
      const opClasses = withOp.map((i) => `${i.config.name ?? "(unnamed index)"} (${i.config.columns.map((c) => ("indexConfig" in c && c.name === WORKSPACE_ID_COLUMN ? c.indexConfig?.opClass : undefined)).find(Boolean) ?? ""})`);
      const key = ctx.keyOf(t, WORKSPACE_ID_COLUMN);
      const retyped = type !== WORKSPACE_ID_SQL_TYPE;
      report({
        table: t.name,
        column: WORKSPACE_ID_COLUMN,
        message:
          `Column ${quote(WORKSPACE_ID_COLUMN)} of table ${quote(t.name)} in ${quote(ctx.packageName)} ${problems.join(" and ")}; declare it as ${WORKSPACE_ID_SQL_TYPE} NOT NULL.` +
          (opClasses.length && type !== WORKSPACE_ID_SQL_TYPE ? ` Its indexes name an operator class of the old type, which fails after the change: drop .op(…) on ${WORKSPACE_ID_COLUMN} in ${opClasses.join(", ")}.` : ""),
        fixes: [
          fixOf([
            {
              kind: "edit-column",
              table,
              column: key,
              ...(retyped ? { builder: `varchar("${WORKSPACE_ID_COLUMN}", { length: ${LENGTH} })` } : {}),
              // A uuid column's .defaultRandom() makes no varchar id.
              ...(retyped && column.columnType === "PgUUID" && column.hasDefault ? { drop: ["defaultRandom"] } : {}),
              ...(column.notNull ? {} : { append: ".notNull()" }),
            },
            ...(retyped ? withOp.map((i) => ({ kind: "set-op" as const, table, entry: indexEntry(ctx, t, i), column: key })) : []),
          ]),
        ],
      });
    }
    if (ctx.isCore) checkWorkspacesTable(ctx, report);
  },
};

/** The root of isolation: `ydtb_workspaces.id` is the `varchar(20)` primary key every `workspace_id` copies. */
function checkWorkspacesTable(ctx: RuleContext, report: Report): void {
  const workspaces = ctx.tables.find((t) => t.name === WORKSPACES_TABLE);
  const code = `export const workspaces = pgTable("${WORKSPACES_TABLE}", { id: varchar("id", { length: ${LENGTH} }).primaryKey(), … });`;
  if (!workspaces) {
    report({
      table: WORKSPACES_TABLE,
      message: `${quote(ctx.packageName)} declares no ${quote(WORKSPACES_TABLE)} table; it is the root every package's ${quote(WORKSPACE_ID_COLUMN)} references: add it.`,
      suggestion: code,
    });
    return;
  }
  const id = workspaces.columns.get("id");
  const problems: string[] = [];
  if (!id) problems.push("has no \"id\" column");
  else {
    if (id.getSQLType() !== WORKSPACE_ID_SQL_TYPE) problems.push(`has "id" of type ${id.getSQLType()}, not ${WORKSPACE_ID_SQL_TYPE}`);
    if (workspaces.primaryKey.length !== 1 || workspaces.primaryKey[0] !== "id") problems.push(`has primary key (${workspaces.primaryKey.join(", ") || "none"}), not (id)`);
  }
  if (problems.length === 0) return;
  report({
    table: WORKSPACES_TABLE,
    column: "id",
    message: `Table ${quote(WORKSPACES_TABLE)} of ${quote(ctx.packageName)} ${problems.join(" and ")}; every package's ${quote(WORKSPACE_ID_COLUMN)} copies it: make "id" the ${WORKSPACE_ID_SQL_TYPE} primary key.`,
    suggestion: `id: varchar("id", { length: ${LENGTH} }).primaryKey()`,
  });
}
