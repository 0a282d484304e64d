import { getTableName, is, Relations } from "drizzle-orm";
import {
  isPgEnum,
  isPgMaterializedView,
  isPgSequence,
  isPgView,
  PgRole,
  PgSchema,
  PgTable,
  type PgEnum,
  type PgMaterializedView,
  type PgSequence,
  type PgView,
} from "drizzle-orm/pg-core";

/** The exports of a schema module, sorted by what they are. */
export interface SchemaEntities {
  readonly tables: readonly PgTable[];
  readonly views: readonly PgView[];
  readonly materializedViews: readonly PgMaterializedView[];
  readonly enums: readonly PgEnum<[string, ...string[]]>[];
  readonly sequences: readonly PgSequence[];
  /** `pgSchema(...)` objects (PostgreSQL schemas). */
  readonly schemas: readonly PgSchema[];
  /** `pgRole(...)` objects (cluster-wide roles). */
  readonly roles: readonly PgRole[];
  /** Export names of relations and the Drizzle objects above: everything drizzle-kit reads. */
  readonly allowed: readonly string[];
  /** Export names that are no Drizzle object (constants, TypeScript enums, helpers): ignored. */
  readonly unknown: readonly string[];
}

// drizzle's `is()` reads the value's prototype's constructor: a null-prototype object (or one
// whose constructor is not a function) would make it throw a TypeError.
function readable(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto !== null && typeof (proto as { constructor?: unknown }).constructor === "function";
}
function isEntity<T>(value: unknown, type: abstract new (...args: never[]) => T): value is T {
  return readable(value) && is(value, type as never);
}

/**
 * Sorts a schema module's exports into Drizzle objects (tables, views, materialized views,
 * enums, sequences, schemas, roles, relations) and unknown values. Never throws.
 *
 * @example
 * schemaEntities(await import("./schema.ts")).tables.map(tableName)
 */
export function schemaEntities(schema: Readonly<Record<string, unknown>>): SchemaEntities {
  const tables: PgTable[] = [];
  const views: PgView[] = [];
  const materializedViews: PgMaterializedView[] = [];
  const enums: PgEnum<[string, ...string[]]>[] = [];
  const sequences: PgSequence[] = [];
  const schemas: PgSchema[] = [];
  const roles: PgRole[] = [];
  const allowed: string[] = [];
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(schema)) {
    if (isEntity(value, PgTable)) tables.push(value);
    else if (isEntity(value, PgSchema)) schemas.push(value);
    else if (isEntity(value, PgRole)) roles.push(value);
    else if (isEntity(value, Relations)) {
      // relations: read by the query builder, nothing in the database
    } else if (isPgEnum(value)) enums.push(value as PgEnum<[string, ...string[]]>);
    else if (readable(value) && isPgSequence(value)) sequences.push(value);
    else if (readable(value) && isPgMaterializedView(value)) materializedViews.push(value);
    else if (readable(value) && isPgView(value)) views.push(value);
    else {
      unknown.push(name);
      continue;
    }
    allowed.push(name);
  }
  return { tables, views, materializedViews, enums, sequences, schemas, roles, allowed, unknown };
}

/** The SQL name of a table, schema-qualified when it is not in `public`. */
export function tableName(table: PgTable): string {
  // Read the two symbols rather than getTableConfig(), which builds every column, index and
  // constraint: the registry asks this for every table on every boot.
  const schema = (table as unknown as Record<symbol, string | undefined>)[Symbol.for("drizzle:Schema")];
  const name = getTableName(table);
  return schema && schema !== "public" ? `${schema}.${name}` : name;
}
