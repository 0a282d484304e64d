import type { SuggestedFix } from "@ydtb/db-registry";
import { fixOf } from "../suggested-fix.ts";
import { CORE_PACKAGE } from "@ydtb/db-registry";
import { ownersIndex } from "../owners-index.ts";
import { namedObjects, type NamedObject } from "../named-objects.ts";
import { quote, tablePrefixOf } from "../naming.ts";
import type { Rule } from "../rule.ts";

const where = (o: NamedObject) => (o.namespace === "role" ? "in the cluster" : o.namespace === "schema" ? "in the database" : `in schema ${quote(o.schema)}`);

/** True when `name` carries the package's prefix (`ydtb_crm_…`, or the schema/role `ydtb_crm`). */
function prefixed(packageName: string, name: string): boolean {
  const prefix = tablePrefixOf(packageName);
  return name.startsWith(prefix) || (packageName !== CORE_PACKAGE && name === prefix.slice(0, -1));
}

/** The builder whose first argument is the object's name, by kind (keys and column uniques take it elsewhere). */
const CALLS: Readonly<Record<string, string>> = { enum: "pgEnum", sequence: "pgSequence", view: "pgView", "materialized view": "pgMaterializedView", schema: "pgSchema", role: "pgRole", "unique constraint": "unique", "primary key": "primaryKey" };

function renameFix(o: NamedObject, to: string): { fixes: SuggestedFix[] } | { suggestion: string } {
  const index = o.kind === "index" ? (o.object as { config: { unique: boolean } }).config.unique : undefined;
  const call = index === undefined ? CALLS[o.kind] : index ? "uniqueIndex" : "index";
  // A column-level .unique("name") is renamed as a call of `unique` too: `.unique("name")`.
  if (!call) return { suggestion: `${quote(o.name)} → ${quote(to)}` };
  return { fixes: [fixOf([{ kind: "rename", call, from: o.name, to }])] };
}

/** Every shared name of a set of manifests → the objects (and their manifests) that carry it. */
const namesOf = ownersIndex(namedObjects, (o) => `${o.namespace}\u0000${o.schema}\u0000${o.name}`);

/**
 * Error: every name a package puts in a namespace PostgreSQL shares — enums and other types,
 * sequences, views, index and constraint names (unique and primary keys are indexes), schemas,
 * roles (cluster-wide) — carries the package's prefix (`ydtb_<package>_…`; core `ydtb_…`) and is
 * used by one object of one package. Two packages creating the same enum pass every other check
 * and fail at migrate (42710).
 *
 * @example
 * pgEnum("status", […])            // shared-names error: name it "ydtb_crm_status"
 * pgEnum("ydtb_crm_status", […])   // in two packages: shared-names error in each
 */
export const sharedNames: Rule = {
  name: "shared-names",
  severity: "error",
  description: "Enums, sequences, views, index and constraint names, schemas and roles carry the package prefix and belong to one package.",
  check(ctx, report) {
    const prefix = tablePrefixOf(ctx.packageName);
    const mine = namedObjects(ctx.manifest);
    const byKey = namesOf(ctx.manifests);
    const reported = new Set<unknown>();
    for (const o of mine) {
      const at = { ...(o.table ? { table: o.table } : {}), ...(o.kind === "index" ? { index: o.name } : o.kind.endsWith("constraint") || o.kind === "primary key" ? { constraint: o.name } : {}) };
      const kindName = `${o.kind} ${quote(o.name)}`;
      if (o.explicit && o.kind !== "table" && !prefixed(ctx.packageName, o.name) && !reported.has(o.object)) {
        reported.add(o.object);
        report({
          ...at,
          message:
            o.kind === "role"
              ? `The role ${quote(o.name)} of ${quote(ctx.packageName)} does not carry the package prefix; roles are cluster-wide, shared by every database and package: name it ${quote(`${prefix}${o.name}`)}, or leave roles to the platform.`
              : `The ${kindName} of ${quote(ctx.packageName)} is in a namespace every package shares (${where(o)}); name it with the package prefix, e.g. ${quote(`${prefix}${o.name}`)}.`,
          ...renameFix(o, `${prefix}${o.name}`),
        });
      }
      const others = (byKey.get(`${o.namespace}\u0000${o.schema}\u0000${o.name}`) ?? []).filter((x) => x.object.object !== o.object);
      for (const other of others) {
        if (o.kind === "table" && other.object.kind === "table") continue; // table-ownership reports it
        // Two names drizzle derived from two tables of one name: table-ownership reports the tables.
        if (!o.explicit && !other.object.explicit) continue;
        const whose = other.manifest === ctx.manifest ? "this package" : quote(other.manifest.packageName);
        report({
          ...at,
          message:
            `The ${kindName} of ${quote(ctx.packageName)} has the name of a ${other.object.kind}${other.object.table && other.object.table !== o.table ? ` of table ${quote(other.object.table)}` : ""} of ${whose} ${where(o)}; ` +
            `PostgreSQL keeps one object per name there, so the second CREATE fails (42710/42P07). Rename one of them${other.manifest === ctx.manifest ? "" : `, or use ${quote(other.manifest.packageName)}'s through a dependency`}.`,
        });
      }
    }
  },
};
