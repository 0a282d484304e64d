import { quote } from "../naming.ts";
import type { Rule } from "../rule.ts";

/**
 * Error: no table name is claimed by two packages (compared with the registered manifests),
 * nor by two different table definitions of one package.
 *
 * @example
 * // @ydtb/a and @ydtb/b both export pgTable("ydtb_notes", …) → table-ownership error in each
 */
export const tableOwnership: Rule = {
  name: "table-ownership",
  severity: "error",
  description: "No table name is claimed by two packages (or by two definitions in one package).",
  check(ctx, report) {
    for (const t of ctx.tables) {
      const owners = ctx.owners(t.name);
      const others = [...new Set(owners.filter((o) => o.manifest !== ctx.manifest).map((o) => o.manifest.packageName))];
      for (const other of others) {
        report({
          table: t.name,
          message:
            other === ctx.packageName
              ? `Table ${quote(t.name)} is declared by two manifests of ${quote(ctx.packageName)}; register the package once.`
              : `Table ${quote(t.name)} of ${quote(ctx.packageName)} is also claimed by ${quote(other)}; a table belongs to one package: rename this one under the package's own prefix, or use ${quote(other)}'s table through a dependency.`,
        });
      }
      const twins = owners.filter((o) => o.manifest === ctx.manifest && o.info !== t);
      // Report a pair once, at its first definition.
      if (twins.length > 0 && owners.find((o) => o.manifest === ctx.manifest)?.info === t) {
        report({
          table: t.name,
          message: `Table ${quote(t.name)} is defined ${twins.length + 1} times in the schema of ${quote(ctx.packageName)}; keep one pgTable(${quote(t.name)}, …) and export it once.`,
        });
      }
    }
  },
};
