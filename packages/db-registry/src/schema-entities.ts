import { getTableName, is, Relations } from "drizzle-orm";
import { isPgEnum, isPgSequence, PgTable } from "drizzle-orm/pg-core";

/** The exports of a schema module, sorted by what they are. */
export interface SchemaEntities {
  readonly tables: readonly PgTable[];
  /** Enums, relations and sequences: allowed, not tables. */
  readonly allowed: readonly string[];
  /** Export names that are none of the above. */
  readonly unknown: readonly string[];
}

/**
 * Sorts a schema module's exports into Drizzle tables, allowed helpers and unknown values.
 *
 * @example
 * schemaEntities(await import("./schema.ts")).tables.map(tableName)
 */
export function schemaEntities(schema: Readonly<Record<string, unknown>>): SchemaEntities {
  const tables: PgTable[] = [];
  const allowed: string[] = [];
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(schema)) {
    if (is(value, PgTable)) tables.push(value);
    else if (is(value, Relations) || isPgEnum(value) || isPgSequence(value)) allowed.push(name);
    else unknown.push(name);
  }
  return { tables, allowed, unknown };
}

/** The SQL name of a table, schema-qualified when it is not in `public`. */
export function tableName(table: PgTable): string {
  // Read the two symbols rather than getTableConfig(), which builds every column, index and
  // constraint: the registry asks this for every table on every boot.
  const schema = (table as unknown as Record<symbol, string | undefined>)[Symbol.for("drizzle:Schema")];
  const name = getTableName(table);
  return schema && schema !== "public" ? `${schema}.${name}` : name;
}
