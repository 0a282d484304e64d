import { CORE_PACKAGE } from "@ydtb/db-registry";
import { quote, tablePrefixOf } from "../naming.ts";
import { fixOf } from "../suggested-fix.ts";
import { ownersIndex } from "../owners-index.ts";
import type { Rule } from "../rule.ts";
import { preparedSqlObjects, type SqlObject } from "../sql-objects.ts";

const at = (o: SqlObject) => `${o.file}:${o.line}`;
const label = (o: SqlObject) => (o.kind === "role" ? `role ${quote(o.name)}` : `${o.kind} ${quote(o.schema === "public" ? o.name : `${o.schema}.${o.name}`)}`);
const keyOf = (o: SqlObject) => (o.kind === "role" ? `role\u0000${o.name}` : `routine\u0000${o.schema}\u0000${o.name}`);

/** Every routine and role of a set of manifests' SQL → where each package creates it. */
const ownersOf = ownersIndex((manifest) => preparedSqlObjects(manifest) ?? [], keyOf);

/**
 * Error: functions, procedures and aggregates a package's SQL migrations create carry the
 * package prefix (`ydtb_<package>_…`; core `ydtb_…`) and no other package creates one of that
 * name in that schema: PostgreSQL keeps one routine per name and argument types in a schema, so
 * the second CREATE fails (42723) or, as CREATE OR REPLACE, silently replaces the first
 * package's. A role is cluster-wide, shared with every database: a migration creating one is
 * refused unless it carries the prefix (`ydtb_<package>`…), and two packages never create the
 * same. Read from the SQL files by PostgreSQL's parser once {@link prepareSqlObjects} ran.
 *
 * @example
 * CREATE FUNCTION touch_updated_at() …            -- sql-objects error: name it ydtb_notes_touch_updated_at
 * CREATE ROLE reader;                             -- sql-objects error: leave roles to the platform
 */
export const sqlObjects: Rule = {
  name: "sql-objects",
  severity: "error",
  description: "Functions, procedures and roles created in SQL migrations carry the package prefix and belong to one package.",
  check(ctx, report) {
    const mine = preparedSqlObjects(ctx.manifest) ?? [];
    const prefix = tablePrefixOf(ctx.packageName);
    const owners = ownersOf(ctx.manifests);
    const seen = new Set<string>();
    for (const o of mine) {
      const prefixed = o.name.startsWith(prefix) || (o.kind === "role" && ctx.packageName !== CORE_PACKAGE && o.name === prefix.slice(0, -1));
      if (!prefixed && !seen.has(`p${keyOf(o)}`)) {
        seen.add(`p${keyOf(o)}`);
        report({
          message:
            o.kind === "role"
              ? `${at(o)}: the migration of ${quote(ctx.packageName)} creates the ${label(o)}; roles are cluster-wide, shared by every database and package: leave roles to the platform (remove the CREATE ROLE), or name it ${quote(`${prefix}${o.name}`)}.`
              : `${at(o)}: the ${label(o)} of ${quote(ctx.packageName)} is in a namespace every package shares; name it ${quote(`${prefix}${o.name}`)} (and every call of it: triggers, defaults, policies).`,
          // Renamed with the prefix, in every SQL file of the package (a role may instead be removed: the message says so).
          fixes: [fixOf([{ kind: "rename-sql", object: o.kind, file: o.file, line: o.line, from: o.name, to: `${prefix}${o.name}` }])],
        });
      }
      for (const other of owners.get(keyOf(o)) ?? []) {
        if (other.manifest.packageName === ctx.packageName || seen.has(`c${keyOf(o)}${other.manifest.packageName}`)) continue;
        seen.add(`c${keyOf(o)}${other.manifest.packageName}`);
        report({
          message:
            `${at(o)}: ${quote(ctx.packageName)} creates the ${label(o)}, which ${quote(other.manifest.packageName)} creates too (${at(other.object)}); ` +
            (o.kind === "role" ? "a role exists once per cluster" : `PostgreSQL keeps one per name and argument types in schema ${quote(o.schema)}, so the second CREATE fails (42723)${o.replace || other.object.replace ? " or, with OR REPLACE, silently replaces the other package's" : ""}`) +
            `: rename yours with your prefix ${quote(prefix)}, or call ${quote(other.manifest.packageName)}'s through a dependency.`,
        });
      }
    }
  },
};
