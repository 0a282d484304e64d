import { getTableColumns } from "drizzle-orm";
import { getTableConfig, type ForeignKey, type PgColumn, type PgTable } from "drizzle-orm/pg-core";

/**
 * What the rules need to know about one Drizzle table, read once with `getTableConfig()`.
 *
 * @example
 * const info = describeTable(notes);
 * info.name; info.primaryKey; // "ydtb_basic_notes", ["workspace_id", "id"]
 */
export interface TableInfo {
  readonly table: PgTable;
  /** The SQL name, schema-qualified when the table is not in `public` (as `tableName()` of @ydtb/db-registry). */
  readonly name: string;
  /** The SQL name without its schema. */
  readonly baseName: string;
  readonly schema: string | undefined;
  readonly config: ReturnType<typeof getTableConfig>;
  /** Columns by SQL name. */
  readonly columns: ReadonlyMap<string, PgColumn>;
  /** The TypeScript property of each column, by SQL name (`workspace_id` → `workspaceId`). */
  readonly keys: ReadonlyMap<string, string>;
  /** SQL column names of the primary key (column-level or composite), in key order; empty when none. */
  readonly primaryKey: readonly string[];
  /**
   * Every column set PostgreSQL accepts as the target of a foreign key: the primary key,
   * unique constraints, column-level `.unique()` and unique indexes without a `where`.
   */
  readonly keySets: readonly (readonly string[])[];
  /** The foreign keys declared on a column with `.references()` (the others are in the extra config). */
  readonly inlineForeignKeys: ReadonlySet<ForeignKey>;
}

const INLINE_FOREIGN_KEYS = Symbol.for("drizzle:PgInlineForeignKeys");

// Drizzle tables are immutable once built, so their description is computed once per
// table object for the life of the process, however many validations see it.
const cache = new WeakMap<PgTable, TableInfo>();

/**
 * Describes a Drizzle table for the rules, calling `getTableConfig()` once per table object.
 *
 * @example
 * describeTable(notes).keys.get("workspace_id"); // "workspaceId"
 */
export function describeTable(table: PgTable): TableInfo {
  const cached = cache.get(table);
  if (cached) return cached;
  const config = getTableConfig(table);
  const columns = new Map<string, PgColumn>();
  for (const column of config.columns) columns.set(column.name, column);
  const keys = new Map<string, string>();
  for (const [key, column] of Object.entries(getTableColumns(table))) keys.set(column.name, key);

  const inline = config.columns.filter((c) => c.primary).map((c) => c.name);
  const composite = config.primaryKeys[0]?.columns.map((c) => c.name);
  const primaryKey = composite ?? inline;
  const keySets: (readonly string[])[] = [];
  if (primaryKey.length > 0) keySets.push(primaryKey);
  for (const u of config.uniqueConstraints) keySets.push(u.columns.map((c) => c.name));
  for (const c of config.columns) if (c.isUnique) keySets.push([c.name]);
  for (const i of config.indexes) {
    if (!i.config.unique || i.config.where) continue;
    const names = indexColumnNames(i);
    if (names.every((n): n is string => n !== undefined)) keySets.push(names);
  }

  const schema = config.schema;
  const info: TableInfo = {
    table,
    name: schema && schema !== "public" ? `${schema}.${config.name}` : config.name,
    baseName: config.name,
    schema,
    config,
    columns,
    keys,
    primaryKey,
    keySets,
    inlineForeignKeys: new Set((table as unknown as Record<symbol, ForeignKey[] | undefined>)[INLINE_FOREIGN_KEYS] ?? []),
  };
  cache.set(table, info);
  return info;
}

/**
 * The SQL column names of an index, `undefined` for an expression.
 *
 * @example
 * indexColumnNames(config.indexes[0]); // ["workspace_id", "created_at"]
 */
export function indexColumnNames(index: ReturnType<typeof getTableConfig>["indexes"][number]): (string | undefined)[] {
  return index.config.columns.map((c) => ("name" in c && typeof c.name === "string" ? c.name : undefined));
}

/**
 * True when `a` and `b` hold the same names, in any order.
 *
 * @example
 * sameSet(["workspace_id", "id"], ["id", "workspace_id"]); // true
 */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return set.size === b.length && b.every((x) => set.has(x));
}

const BUILDERS: Readonly<Record<string, string>> = {
  PgBigInt53: "bigint",
  PgBigInt64: "bigint",
  PgBigSerial53: "bigserial",
  PgBigSerial64: "bigserial",
  PgSmallInt: "smallint",
  PgSmallSerial: "smallserial",
  PgDoublePrecision: "doublePrecision",
  PgTimestampString: "timestamp",
  PgDateString: "date",
  PgNumericNumber: "numeric",
  PgNumericBigInt: "numeric",
  PgUUID: "uuid",
  PgJson: "json",
  PgJsonb: "jsonb",
};

/**
 * The name of the drizzle-orm/pg-core function that builds a column like this one, for suggested
 * code; `undefined` for enum and customType columns (built by a function of the schema itself).
 *
 * @example
 * builderOf(getTableConfig(notes).columns[0]); // "varchar"
 */
export function builderOf(column: PgColumn): string | undefined {
  // Enum and customType columns are built by the schema's own function, whose name we don't know.
  if (column.columnType === "PgCustomColumn" || column.columnType === "PgEnumColumn" || column.columnType === "PgEnumObjectColumn") return undefined;
  const known = BUILDERS[column.columnType];
  if (known) return known;
  const base = column.columnType.replace(/^Pg/, "");
  return base.charAt(0).toLowerCase() + base.slice(1);
}

const SERIAL_AS: ReadonlyMap<string, string> = new Map([
  ["serial", "integer"],
  ["bigserial", "bigint"],
  ["smallserial", "smallint"],
]);

/**
 * The SQL type a column stores, as a foreign key compares it: `serial` is `integer`,
 * `bigserial` `bigint`, `smallserial` `smallint`; every other type as `getSQLType()` says.
 * Pass a table's own column (`TableInfo.columns`), not one from a foreign key's `reference()`:
 * a key written in the extra config holds drizzle's ExtraConfigColumn, whose getSQLType() never returns.
 *
 * @example
 * sqlTypeOf(serial("id")); // "integer"
 */
export function sqlTypeOf(column: PgColumn): string {
  const type = column.getSQLType();
  return SERIAL_AS.get(type) ?? type;
}
