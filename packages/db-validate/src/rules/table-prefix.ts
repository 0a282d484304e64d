import { fixOf } from "../suggested-fix.ts";
import { TABLE_PREFIX } from "../constants.ts";
import { quote, suggestedTableName } from "../naming.ts";
import type { Rule } from "../rule.ts";

/**
 * Error: every table's SQL name starts with `ydtb_`, so package tables never collide with
 * other software's tables in the same database.
 *
 * @example
 * pgTable("notes", …)             // table-prefix error
 * pgTable("ydtb_basic_notes", …)  // passes
 */
export const tablePrefix: Rule = {
  name: "table-prefix",
  severity: "error",
  description: `Every table is named ${TABLE_PREFIX}… (package tables ${TABLE_PREFIX}<package>_<name>).`,
  check(ctx, report) {
    for (const t of ctx.tables) {
      if (t.baseName.startsWith(TABLE_PREFIX)) continue;
      const name = suggestedTableName(ctx.packageName, t.baseName);
      report({
        table: t.name,
        message: `Table ${quote(t.name)} of ${quote(ctx.packageName)} does not start with ${quote(TABLE_PREFIX)}; rename it to ${quote(name)} and generate a migration.`,
        fixes: [fixOf([{ kind: "rename", call: t.schema ? "table" : "pgTable", from: t.baseName, to: name }])],
      });
    }
  },
};
