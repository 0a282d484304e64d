import { fixOf } from "../suggested-fix.ts";
import { CORE_PACKAGE } from "@ydtb/db-registry";
import { WORKSPACE_ID_COLUMN } from "../constants.ts";
import { quote } from "../naming.ts";
import type { Rule } from "../rule.ts";
import { describeTable } from "../table-info.ts";

/**
 * Error: every foreign key points at a table of this package, of a declared dependency, or of
 * `@ydtb/core`. (Exports that are no Drizzle object are ignored; the report lists them once.) A reference to an undeclared package names the dependency to add; a
 * reference to a table no registered package owns is an error too.
 *
 * @example
 * // @ydtb/comments references ydtb_basic_notes without declaring @ydtb/basic:
 * dependencies: { "@ydtb/core": "^1.0.0", "@ydtb/basic": "^1.1.0" }
 */
export const validSchema: Rule = {
  name: "valid-schema",
  severity: "error",
  description: "Foreign keys point at tables of this package, a declared dependency or @ydtb/core.",
  check(ctx, report) {
    const declared = ctx.manifest.dependencies;
    for (const t of ctx.tables) {
      for (const fk of t.config.foreignKeys) {
        const ref = fk.reference();
        const target = describeTable(ref.foreignTable).name;
        const owners = ctx.owners(target);
        if (owners.some((o) => o.manifest === ctx.manifest)) continue;
        const columns = ref.columns.map((c) => c.name);
        const column = columns.find((c) => c !== WORKSPACE_ID_COLUMN) ?? columns[0];
        const at = { table: t.name, ...(column ? { column } : {}) };
        const owner = owners[0]?.manifest;
        if (!owner) {
          report({
            ...at,
            message: `The foreign key (${columns.join(", ")}) of table ${quote(t.name)} in ${quote(ctx.packageName)} references ${quote(target)}, which no registered package declares; register the package that owns ${quote(target)} (and declare it in dependencies), or define the table in this package's schema.`,
          });
          continue;
        }
        const pkg = owner.packageName;
        if (pkg === CORE_PACKAGE || pkg === ctx.packageName || Object.hasOwn(declared, pkg)) continue;
        report({
          ...at,
          message: `Table ${quote(t.name)} of ${quote(ctx.packageName)} references ${quote(target)} of ${quote(pkg)}, which is not among its dependencies; declare it so migrations run in order: dependencies: { ${quote(pkg)}: "^${owner.version}" }.`,
          fixes: [fixOf([{ kind: "manifest-entry", path: ["dependencies", pkg], value: quote(`^${owner.version}`) }])],
        });
      }
    }
  },
};
