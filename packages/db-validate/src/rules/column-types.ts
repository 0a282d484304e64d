import { fixOf } from "../suggested-fix.ts";
import { quote } from "../naming.ts";
import type { PgTable } from "drizzle-orm/pg-core";
import { manifestTables, type Rule, type RuleContext } from "../rule.ts";

interface Referencing {
  readonly packageName: string;
  readonly table: string;
  readonly column: string;
  readonly key: string;
  readonly notNull: boolean;
  /** The name its table is exported under. */
  readonly variable: string;
}

/** The columns, in any package validated alongside, whose foreign keys reference `table.column`. */
function referencingColumns(ctx: RuleContext, table: PgTable, column: string): Referencing[] {
  const out: Referencing[] = [];
  for (const manifest of ctx.manifests) {
    for (const info of manifestTables(manifest)) {
      for (const fk of info.config.foreignKeys) {
        const ref = fk.reference();
        if (ref.foreignTable !== table) continue;
        ref.foreignColumns.forEach((foreign, i) => {
          const own = info.columns.get(ref.columns[i]?.name ?? "");
          if (foreign.name !== column || !own) return;
          out.push({ packageName: manifest.packageName, table: info.name, column: own.name, key: ctx.keyOf(info, own.name), notNull: own.notNull, variable: ctx.variableOf({ manifest, info }) });
        });
      }
    }
  }
  return out;
}

/** The call that made a column an identity: `.generatedAlwaysAsIdentity()` or `.generatedByDefaultAsIdentity()`. */
function identityCall(column: object): string {
  const identity = (column as { generatedIdentity?: { type?: string } }).generatedIdentity;
  return identity?.type === "byDefault" ? "generatedByDefaultAsIdentity" : "generatedAlwaysAsIdentity";
}

const SERIAL_TYPES = new Set(["PgSerial", "PgSmallSerial", "PgBigSerial53", "PgBigSerial64"]);

/**
 * Warning: columns use the preferred types. `timestamp` keeps its time zone
 * (`withTimezone: true`); a primary key is not serial, bigserial or identity (one global
 * sequence shows every workspace how many rows the others create: use a random id);
 * free text is `text`, not `varchar(n)` (only ids, `id` and `…_id`, may be varchar).
 *
 * @example
 * createdAt: timestamp("created_at")                          // column-types warning
 * createdAt: timestamp("created_at", { withTimezone: true })  // passes
 */
export const columnTypes: Rule = {
  name: "column-types",
  severity: "warning",
  description: "timestamp with time zone; random (not serial/identity) primary keys; text, not varchar, for free text.",
  check(ctx, report) {
    for (const t of ctx.tables) {
      for (const column of t.config.columns) {
        const name = column.name;
        const key = ctx.keyOf(t, name);
        const type = column.getSQLType();
        const table = ctx.variableOf({ manifest: ctx.manifest, info: t });
        const where = `Column ${quote(name)} of table ${quote(t.name)} in ${quote(ctx.packageName)}`;
        if (type.startsWith("timestamp") && !type.includes("with time zone")) {
          const precision = /\((\d+)\)/.exec(type)?.[1];
          const options = [`withTimezone: true`, ...(precision ? [`precision: ${precision}`] : []), ...(column.columnType === "PgTimestampString" ? [`mode: "string"`] : [])];
          report({
            table: t.name,
            column: name,
            message: `${where} is ${type} without time zone, which stores wall-clock times that shift with the server's zone; use timestamp with time zone.`,
            fixes: [fixOf([{ kind: "edit-column", table, column: key, builder: `timestamp(${quote(name)}, { ${options.join(", ")} })` }])],
          });
        }
        const identity = (column as { generatedIdentity?: unknown }).generatedIdentity !== undefined;
        if (t.primaryKey.includes(name) && (SERIAL_TYPES.has(column.columnType) || identity)) {
          // Every column that references this one has its integer type too: it must change with it,
          // or the migration fails (42804: foreign key columns of incompatible types).
          const referencing = referencingColumns(ctx, t.table, name);
          report({
            table: t.name,
            column: name,
            message:
              `${where} is a ${identity ? "generated identity" : type} primary key: one sequence numbers the rows of every workspace, so each workspace sees how many rows the others create; use a random id.` +
              (referencing.length ? ` Change the columns that reference it to text in the same migration: ${referencing.map((r) => quote(`${r.table}.${r.column}`)).join(", ")}.` : ""),
            // Referencing columns of other packages are their authors' to change: the message names them.
            fixes: [
              fixOf([
                { kind: "edit-column", table, column: key, builder: `text(${quote(name)})`, ...(identity ? { drop: [identityCall(column)] } : {}), append: ".$defaultFn(() => crypto.randomUUID())" },
                ...referencing.filter((r) => r.packageName === ctx.packageName).map((r) => ({ kind: "edit-column" as const, table: r.variable, column: r.key, builder: `text(${quote(r.column)})` })),
              ]),
            ],
          });
        }
        if (column.columnType === "PgVarchar" && name !== "id" && !name.endsWith("_id")) {
          report({
            table: t.name,
            column: name,
            message: `${where} is ${type}, but it is not an id: PostgreSQL stores text and varchar alike, and a length limit on free text fails inserts later; use text (with a check constraint if a limit matters).`,
            fixes: [fixOf([{ kind: "edit-column", table, column: key, builder: `text(${quote(name)})` }])],
          });
        }
      }
    }
  },
};
