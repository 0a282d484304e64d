import type { LintRule, RuleHit } from "../lint-types.ts";
import { tableName } from "../plan-state.ts";
import { addedColumn, alterTable, calledFunctions, columnConstraints, quote, typeNameOf } from "./alter-table.ts";

/**
 * Functions whose value differs per row: as a column default they make PostgreSQL rewrite the
 * whole table under an ACCESS EXCLUSIVE lock (a constant or stable default such as `now()` is
 * stored once in the catalog instead, since PostgreSQL 11).
 */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  "random", "gen_random_uuid", "uuidv4", "uuidv7", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
  "gen_random_bytes", "clock_timestamp", "timeofday", "nextval", "txid_current", "pg_current_xact_id", "setseed",
]);

const SERIAL_TYPES: ReadonlySet<string> = new Set(["serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"]);

export const addingVolatileDefault: LintRule = {
  name: "adding-volatile-default",
  description: "ADD COLUMN whose value is computed per row (volatile default, serial, identity, stored generated) rewrites an existing table under ACCESS EXCLUSIVE",
  safe:
    "Add the column without a default (or with a constant one), backfill it in batches in later migrations or a job, then set the default for new rows:\n" +
    "  ALTER TABLE t ADD COLUMN c uuid;            -- release N\n" +
    "  UPDATE t SET c = gen_random_uuid() WHERE id IN (…batch…);   -- repeated, outside the boot\n" +
    "  ALTER TABLE t ALTER COLUMN c SET DEFAULT gen_random_uuid();",
  check({ node, isNew }) {
    const alter = alterTable(node);
    if (!alter || isNew(alter.relation)) return [];
    const hits: RuleHit[] = [];
    for (const cmd of alter.cmds) {
      const column = addedColumn(cmd);
      if (!column) continue;
      const constraints = columnConstraints(column);
      const volatile = constraints.filter((c) => c.contype === "CONSTR_DEFAULT").flatMap((c) => calledFunctions(c.raw_expr)).find((f) => VOLATILE_FUNCTIONS.has(f));
      const why = volatile
        ? `its default calls ${volatile}(), which is volatile`
        : SERIAL_TYPES.has(typeNameOf(column))
          ? `its type ${typeNameOf(column)} takes a default from a sequence`
          : constraints.some((c) => c.contype === "CONSTR_IDENTITY")
            ? "an identity column takes its values from a sequence"
            : constraints.some((c) => c.contype === "CONSTR_GENERATED" && c.generated_kind !== "v")
              ? "a stored generated column is computed for every row"
              : undefined;
      if (why) hits.push({ table: tableName(alter.relation), column: column.colname, message: `adding column ${quote(column.colname)} to existing table ${quote(tableName(alter.relation))} rewrites every row while readers and writers wait: ${why}` });
    }
    return hits;
  },
};

export const addingNotNullColumn: LintRule = {
  name: "adding-not-null-column",
  description: "ADD COLUMN … NOT NULL without a default fails on a table with rows, and the previous release's INSERTs (which omit it) fail",
  safe:
    "Give it a constant default (`ADD COLUMN c text NOT NULL DEFAULT ''`, instant since PostgreSQL 11), or add it nullable, " +
    "backfill it, and make it NOT NULL later through a validated CHECK (see setting-not-null).",
  check({ node, isNew }) {
    const alter = alterTable(node);
    if (!alter || isNew(alter.relation)) return [];
    return alter.cmds.flatMap((cmd) => {
      const column = addedColumn(cmd);
      if (!column) return [];
      const constraints = columnConstraints(column);
      const notNull = constraints.some((c) => c.contype === "CONSTR_NOTNULL" || c.contype === "CONSTR_PRIMARY");
      const filled = constraints.some((c) => ["CONSTR_DEFAULT", "CONSTR_IDENTITY", "CONSTR_GENERATED"].includes(c.contype ?? "")) || SERIAL_TYPES.has(typeNameOf(column));
      return notNull && !filled
        ? [{ table: tableName(alter.relation), column: column.colname, message: `column ${quote(column.colname)} is added NOT NULL without a default to existing table ${quote(tableName(alter.relation))}: it fails if the table has rows, and the running release's inserts do not set it` }]
        : [];
    });
  },
};

export const droppingColumn: LintRule = {
  name: "dropping-column",
  description: "DROP COLUMN breaks the previous release, which still reads and writes the column",
  safe:
    "Expand, then contract: release N stops using the column (remove it from the Drizzle schema's queries, keep it in the table, make it nullable or give it a default); " +
    "release N+1, once no instance of N-1 runs, drops it.",
  check({ node, isNew }) {
    const alter = alterTable(node);
    if (!alter || isNew(alter.relation)) return [];
    return alter.cmds
      .filter((c) => c.subtype === "AT_DropColumn")
      .map((c) => ({ table: tableName(alter.relation), column: c.name, message: `dropping column ${quote(c.name)} of ${quote(tableName(alter.relation))} breaks the previous release's queries on it while both run` }));
  },
};

export const renamingColumn: LintRule = {
  name: "renaming-column",
  description: "RENAME COLUMN breaks the previous release, which uses the old name",
  safe:
    "Expand, then contract: add the new column, write both (trigger or application), backfill, switch reads to the new one; " +
    "drop the old column in a later release.",
  check({ node, isNew }) {
    if (!("RenameStmt" in node)) return [];
    const stmt = node.RenameStmt;
    if (stmt.renameType !== "OBJECT_COLUMN" || !stmt.relation || isNew(stmt.relation)) return [];
    return [{ table: tableName(stmt.relation), column: stmt.subname, message: `renaming column ${quote(stmt.subname)} of ${quote(tableName(stmt.relation))} to ${quote(stmt.newname)} breaks the previous release, which still uses the old name` }];
  },
};

export const changingColumnType: LintRule = {
  name: "changing-column-type",
  description: "ALTER COLUMN … TYPE rewrites the table (and its indexes) under ACCESS EXCLUSIVE and can break the previous release",
  safe:
    "Add a column of the new type, write both, backfill in batches, switch reads, drop the old column in a later release. " +
    "(Widening varchar(n) to varchar(m > n) or text does not rewrite: exempt it with a reason.)",
  check({ node, isNew }) {
    const alter = alterTable(node);
    if (!alter || isNew(alter.relation)) return [];
    return alter.cmds
      .filter((c) => c.subtype === "AT_AlterColumnType")
      .map((c) => ({ table: tableName(alter.relation), column: c.name, message: `changing the type of ${quote(c.name)} on existing table ${quote(tableName(alter.relation))} rewrites it while readers and writers wait` }));
  },
};

export const settingNotNull: LintRule = {
  name: "setting-not-null",
  description: "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE unless a validated CHECK (c IS NOT NULL) proves it",
  safe: "ADD CONSTRAINT … CHECK (c IS NOT NULL) NOT VALID; then VALIDATE CONSTRAINT in a later migration; then SET NOT NULL (no scan); then DROP the CHECK.",
  check({ node, isNew, hasValidatedNotNullCheck }) {
    const alter = alterTable(node);
    if (!alter || isNew(alter.relation)) return [];
    return alter.cmds
      .filter((c) => c.subtype === "AT_SetNotNull" && c.name && !hasValidatedNotNullCheck(alter.relation, c.name))
      .map((c) => {
        const t = quote(tableName(alter.relation));
        const check = quote(`${alter.relation.relname}_${c.name}_not_null`);
        return {
          table: tableName(alter.relation),
          column: c.name,
          message: `SET NOT NULL on ${quote(c.name)} of existing table ${t} scans every row while readers and writers wait`,
          safe:
            `Prove it first without a long lock, each step in its own migration:\n` +
            `  ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${quote(c.name)} IS NOT NULL) NOT VALID;\n` +
            `  ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};\n` +
            `  ALTER TABLE ${t} ALTER COLUMN ${quote(c.name)} SET NOT NULL;   -- uses the CHECK, no scan\n` +
            `  ALTER TABLE ${t} DROP CONSTRAINT ${check};`,
        };
      });
  },
};
