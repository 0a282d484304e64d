import { defineDatabase, type DatabaseManifest, type DatabaseManifestInput, type Diagnostic, type TableDescription, type ValidationOutcome } from "@ydtb/db-registry";
import { is } from "drizzle-orm";
import { getTableConfig, PgTable, text, varchar } from "drizzle-orm/pg-core";
import coreDatabase from "../../db-core/src/database.ts";
import { workspaces } from "../../db-core/src/schema/index.ts";

export { coreDatabase, workspaces };

/** The columns every good workspace table starts with: `workspace_id` (FK, cascade) and `id`. */
export const scoped = () => ({
  workspaceId: varchar("workspace_id", { length: 20 })
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  id: text("id").notNull(),
});

/** A description for every table and column of a schema, so `documentation` stays quiet. */
export function describeAll(schema: Readonly<Record<string, unknown>>): Record<string, TableDescription> {
  const out: Record<string, TableDescription> = {};
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue;
    const c = getTableConfig(value);
    out[c.name] = { description: `Rows of ${c.name}.`, columns: Object.fromEntries(c.columns.map((col) => [col.name, `The ${col.name}.`])) };
  }
  return out;
}

/** A manifest of `packageName` over `schema`, fully described unless `descriptions` is given. */
export function pkg(
  packageName: string,
  schema: Readonly<Record<string, unknown>>,
  overrides: Partial<Omit<DatabaseManifestInput, "packageName" | "schema">> = {},
): DatabaseManifest {
  return defineDatabase({
    packageName,
    version: "1.0.0",
    schema,
    migrations: "/abs/drizzle",
    dependencies: { "@ydtb/core": "^1.0.0" },
    descriptions: describeAll(schema),
    ...overrides,
  });
}

/** Where a diagnostic is and what it is, without its message. */
export const located = (d: Diagnostic) => ({
  rule: d.rule,
  severity: d.severity as string,
  package: d.package,
  ...(d.table !== undefined ? { table: d.table } : {}),
  ...(d.column !== undefined ? { column: d.column } : {}),
});

/** The located diagnostics of one rule. */
export const hits = (outcome: ValidationOutcome, rule: string) => outcome.diagnostics.filter((d) => d.rule === rule).map(located);

/** The names of the rules that reported something. */
export const rulesOf = (outcome: ValidationOutcome) => [...new Set(outcome.diagnostics.map((d) => d.rule))].sort();
