import { fixOf } from "../suggested-fix.ts";
import { quote } from "../naming.ts";
import type { Rule } from "../rule.ts";

/**
 * Warning: every table and column has a description in the manifest
 * (`descriptions[table].description`, `descriptions[table].columns[column]`, by SQL names).
 *
 * @example
 * descriptions: { ydtb_basic_tags: { description: "Tags of a workspace.", columns: { name: "Tag name." } } }
 */
export const documentation: Rule = {
  name: "documentation",
  severity: "warning",
  description: "Every table and column has a description in the manifest's descriptions.",
  check(ctx, report) {
    for (const t of ctx.tables) {
      const described = ctx.manifest.descriptions[t.name];
      if (!described?.description) {
        report({
          table: t.name,
          message: `Table ${quote(t.name)} of ${quote(ctx.packageName)} has no description; say what a row is in the manifest's descriptions.`,
          fixes: [fixOf([{ kind: "manifest-entry", path: ["descriptions", t.name, "description"], value: '"…"' }])],
        });
      }
      for (const column of t.config.columns) {
        if (described?.columns?.[column.name]) continue;
        report({
          table: t.name,
          column: column.name,
          message: `Column ${quote(column.name)} of table ${quote(t.name)} in ${quote(ctx.packageName)} has no description; add it under descriptions[${quote(t.name)}].columns.`,
          fixes: [fixOf([{ kind: "manifest-entry", path: ["descriptions", t.name, "columns", column.name], value: '"…"' }])],
        });
      }
    }
  },
};
