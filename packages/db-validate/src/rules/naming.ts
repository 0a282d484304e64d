import { fixOf } from "../suggested-fix.ts";
import { TABLE_PREFIX } from "../constants.ts";
import { isSnakeCase, quote, suggestedTableName, tablePrefixOf, toSnakeCase } from "../naming.ts";
import { uniqueKeyName, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import type { Rule } from "../rule.ts";

/**
 * Warning: SQL names of tables, columns, indexes and constraints are snake_case, and a
 * package's tables are named `ydtb_<package short name>_<name>` (`@ydtb/basic` →
 * `ydtb_basic_…`, `@ydtb/crm-deals` → `ydtb_crm_deals_…`; core tables are `ydtb_<name>`).
 *
 * @example
 * pgTable("ydtb_basic_notes", { createdAt: timestamp("created_at", { withTimezone: true }) }) // passes
 * pgTable("ydtb_notes", { createdAt: timestamp("createdAt") })  // in @ydtb/basic: two naming warnings
 */
export const naming: Rule = {
  name: "naming",
  severity: "warning",
  description: "SQL names are snake_case; package tables are ydtb_<package>_<name> (core: ydtb_<name>).",
  check(ctx, report) {
    const prefix = tablePrefixOf(ctx.packageName);
    for (const t of ctx.tables) {
      if (t.schema && !isSnakeCase(t.schema)) {
        report({ table: t.name, message: `Schema ${quote(t.schema)} of table ${quote(t.name)} in ${quote(ctx.packageName)} is not snake_case; call it ${quote(toSnakeCase(t.schema))}.`, fixes: [fixOf([{ kind: "rename", call: "pgSchema", from: t.schema, to: toSnakeCase(t.schema) }])] });
      }
      // A name without "ydtb_" is table-prefix's error; here only the package part.
      const prefixed = t.baseName.startsWith(TABLE_PREFIX);
      if (!isSnakeCase(t.baseName) || (prefixed && (!t.baseName.startsWith(prefix) || t.baseName.length === prefix.length))) {
        const name = suggestedTableName(ctx.packageName, t.baseName);
        report({
          table: t.name,
          message: `Table ${quote(t.name)} of ${quote(ctx.packageName)} should be named ${quote(`${prefix}<name>`)} in snake_case, e.g. ${quote(name)}; rename it and generate a migration.`,
          fixes: [fixOf([{ kind: "rename", call: t.schema ? "table" : "pgTable", from: t.baseName, to: name }])],
        });
      }
      for (const column of t.config.columns) {
        if (isSnakeCase(column.name)) continue;
        const name = toSnakeCase(column.name);
        const key = ctx.keyOf(t, column.name);
        report({
          table: t.name,
          column: column.name,
          message: `Column ${quote(column.name)} of table ${quote(t.name)} in ${quote(ctx.packageName)} is not snake_case; name it ${quote(name)}.`,
          // Only the first argument changes: an enum or customType column keeps the schema's own builder.
          fixes: [fixOf([{ kind: "edit-column", table: ctx.variableOf({ manifest: ctx.manifest, info: t }), column: key, name }])],
        });
      }
      // Only names written in the schema: a derived name (drizzle's `<table>_<columns>_fk`, …)
      // follows from the table and column names, which are checked above.
      // The builder whose first argument is the name, where there is one (foreign and primary keys take it in an object).
      const named: (readonly [kind: string, name: string | undefined, code: (name: string) => string, call?: string])[] = [
        ...t.config.indexes.map((i) => ["index", i.config.name, (n: string) => `${i.config.unique ? "uniqueIndex" : "index"}(${quote(n)}).on(…)`, i.config.unique ? "uniqueIndex" : "index"] as const),
        // An inline .references() has no name to write: only a foreignKey({ name }) carries one.
        ...t.config.foreignKeys.map((fk) => ["foreign key", fk.reference().name, (n: string) => `foreignKey({ name: ${quote(n)}, columns: […], foreignColumns: […] })`, "foreignKey"] as const),
        ...t.config.primaryKeys.map((pk) => ["primary key", pk.name, (n: string) => `primaryKey({ name: ${quote(n)}, columns: […] })`, "primaryKey"] as const),
        ...t.config.uniqueConstraints.map((u) => ["unique constraint", explicit(u.name, t.table, u.columns), (n: string) => `unique(${quote(n)}).on(…)`, "unique"] as const),
        ...t.config.columns
          .filter((c) => c.isUnique)
          .map((c) => ["unique constraint", explicit(c.uniqueName, t.table, [c]), (n: string) => `// on ${ctx.keyOf(t, c.name)}: .unique(${quote(n)})`, "unique"] as const),
        ...t.config.checks.map((c) => ["check constraint", c.name, (n: string) => `check(${quote(n)}, sql\`…\`)`, "check"] as const),
      ];
      for (const [kind, name, code, call] of named) {
        if (name === undefined || isSnakeCase(name)) continue;
        // With the package prefix too: index and constraint names share a namespace (shared-names).
        const snake = toSnakeCase(name);
        const fixed = snake.startsWith(prefix) ? snake : `${prefix}${snake.replace(/^ydtb_/, "")}`;
        report({
          table: t.name,
          ...(kind === "index" ? { index: name } : { constraint: name }),
          message: `The ${kind} ${quote(name)} of table ${quote(t.name)} in ${quote(ctx.packageName)} is not snake_case; name it ${quote(fixed)}.`,
          ...(call ? { fixes: [fixOf([{ kind: "rename", call, from: name, to: fixed }])] } : { suggestion: code(fixed) }),
        });
      }
    }
  },
};

/** The name of a unique constraint when it was written in the schema, not derived by drizzle. */
export function explicit(name: string | undefined, table: PgTable, columns: readonly PgColumn[]): string | undefined {
  return name === undefined || name === uniqueKeyName(table, columns.map((c) => c.name)) ? undefined : name;
}
