import { CORE_SCHEMA_MODULE, fixOf } from "../suggested-fix.ts";
import { CORE_PACKAGE } from "@ydtb/db-registry";
import { CORE_TABLES, TABLE_PREFIX } from "../constants.ts";
import { packageShortName, quote, toCamelCase } from "../naming.ts";
import type { Rule } from "../rule.ts";

/**
 * Warning: a package table that copies one of `@ydtb/core`'s (users, sessions, accounts,
 * verifications, workspaces, members) is told that core already has it, and to reference it.
 *
 * @example
 * pgTable("ydtb_crm_users", …) // core-table-duplicate: reference ydtb_users.id instead
 */
export const coreTableDuplicate: Rule = {
  name: "core-table-duplicate",
  severity: "warning",
  description: "A package table does not copy a table @ydtb/core already has (users, sessions, accounts, verifications, workspaces, members).",
  check(ctx, report) {
    if (ctx.isCore) return;
    const ownPrefix = `${TABLE_PREFIX}${packageShortName(ctx.packageName)}_`;
    for (const t of ctx.tables) {
      const short = t.baseName.startsWith(ownPrefix) ? t.baseName.slice(ownPrefix.length) : t.baseName.startsWith(TABLE_PREFIX) ? t.baseName.slice(TABLE_PREFIX.length) : t.baseName;
      const core = CORE_TABLES[short.toLowerCase()];
      if (!core) continue;
      const variable = toCamelCase(core.slice(TABLE_PREFIX.length));
      const own = ctx.variableOf({ manifest: ctx.manifest, info: t });
      report({
        table: t.name,
        message:
          `Table ${quote(t.name)} of ${quote(ctx.packageName)} looks like a copy of ${quote(core)}, which ${quote(CORE_PACKAGE)} already has: ` +
          `reference core's table (import it from "@ydtb/db-core") instead of keeping a second one, and put only what your package adds in a table of its own keyed on it.`,
        // The package's name for the table stays, bound to core's: its references now point there.
        fixes: [fixOf([{ kind: "remove-table", table: own }, { kind: "import", from: CORE_SCHEMA_MODULE, names: [own === variable ? variable : `${variable} as ${own}`] }])],
      });
    }
  },
};
