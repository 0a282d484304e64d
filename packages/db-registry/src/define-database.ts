import { getTableColumns } from "drizzle-orm";
import { getMaterializedViewConfig, type PgMaterializedView } from "drizzle-orm/pg-core";
import { ManifestError, type ManifestIssue } from "./errors.ts";
import { callerFile, packageDirOf } from "./manifest-location.ts";
import { dependencyRecord, manifestErrorMap, manifestInputSchema } from "./manifest-input-schema.ts";
import { MANIFEST_BRAND, type DatabaseManifest, type DatabaseManifestInput } from "./manifest.ts";
import { parseDuration } from "./parse-duration.ts";
import { schemaEntities, tableName } from "./schema-entities.ts";
import { isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";

const quote = (v: unknown) => JSON.stringify(v);

/** Formats a zod path as code: `dependencies["@ydtb/x"]`, `migrations[2].id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${quote(String(key))}]`;
  }
  return out;
}

/**
 * Checks a package's database description and returns it frozen and branded.
 * Throws one `ManifestError` (code `INVALID_MANIFEST`) listing every problem with its path.
 *
 * @example
 * import pkg from "../package.json";
 * import * as schema from "./schema.ts";
 * export default defineDatabase({
 *   packageName: "@ydtb/notes",
 *   version: pkg.version,
 *   schema,
 *   migrations: "./drizzle",
 *   dependencies: { "@ydtb/core": "^1.0.0" },
 * });
 */
export function defineDatabase(input: DatabaseManifestInput): DatabaseManifest {
  try {
    return checkManifest(input, callerFile());
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    // Input that breaks a check itself (a getter that throws, a proxy, …): still a bad manifest,
    // reported as one, with what broke kept as the cause.
    throw new ManifestError(
      packageNameOf(input),
      [{ path: "", message: `could not be read (${error instanceof Error ? error.message : String(error)}); pass a plain object literal as in the README` }],
      { cause: error },
    );
  }
}

function packageNameOf(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const name = (input as { packageName?: unknown }).packageName;
  return typeof name === "string" ? name : undefined;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkManifest(input: DatabaseManifestInput, source: string | undefined): DatabaseManifest {
  if (!isPlainRecord(input)) {
    throw new ManifestError(undefined, [{ path: "", message: `the manifest is ${input === null ? "null" : Array.isArray(input) ? "an array" : `a ${typeof input}`}; pass an object: defineDatabase({ packageName, version, schema, migrations })` }]);
  }
  const parsed = manifestInputSchema.safeParse(input, { error: manifestErrorMap });
  const issues: ManifestIssue[] = parsed.success
    ? []
    : parsed.error.issues.flatMap((i) =>
        i.code === "unrecognized_keys"
          ? i.keys.map((key) => ({ path: formatPath([...i.path, key]), message: `unknown field; a manifest has ${Object.keys(manifestInputSchema.shape).join(", ")}` }))
          : [{ path: formatPath(i.path), message: i.message }],
      );
  issues.push(...crossFieldIssues(input));
  if (!parsed.success || issues.length > 0) throw new ManifestError(packageNameOf(input), issues);

  const value = parsed.data;
  const entities = schemaEntities(value.schema);
  const migrations = value.migrations instanceof URL ? fileURLToPath(value.migrations) : value.migrations;
  // Only a relative folder needs to know where the manifest lives. TypeScript migrations and
  // absolute folders stay unplaced until discovery binds them: a folder guessed for them would
  // send the versions file of a manifest defined in a test or a script into that file's package.
  const relative = typeof migrations === "string" && !isAbsolute(migrations);
  const packageDir = relative && source ? packageDirOf(source) : undefined;
  return freezeManifest({
    [MANIFEST_BRAND]: true,
    packageName: value.packageName,
    version: value.version,
    schema: Object.freeze({ ...value.schema }),
    tables: Object.freeze([...entities.tables]),
    migrations: typeof migrations === "string" ? migrations : Object.freeze(migrations.map((m) => Object.freeze({ ...m }))),
    dependencies: dependencyRecord(value.dependencies),
    tools: value.tools,
    descriptions: value.descriptions,
    exemptions: value.exemptions,
    globalTables: value.globalTables,
    extensions: value.extensions,
    ...(value.lockTimeout !== undefined ? { lockTimeoutMs: parseDuration(value.lockTimeout)! } : {}),
    ...(value.statementTimeout !== undefined ? { statementTimeoutMs: parseDuration(value.statementTimeout)! } : {}),
    ...(packageDir ? { packageDir } : {}),
    ...(packageDir && source ? { source } : {}),
  });
}

// Checks that need the whole input: they run even when the shape has other problems.
function crossFieldIssues(input: Record<string, unknown>): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const schema = isPlainRecord(input.schema) ? input.schema : undefined;
  const entities = schema ? schemaEntities(schema) : undefined;
  const tables = entities?.tables ?? [];
  if (schema && entities && entities.allowed.length === 0) {
    issues.push({ path: "schema", message: "holds no Drizzle object; export at least one pgTable(...) (or a view, enum, sequence) from the schema module, or leave schema out for a package that only brings migrations" });
  }
  issues.push(...repeatedIds(input.migrations, "migrations", "every migration id must be unique"));
  issues.push(...repeatedIds(input.tools, "tools", "tool ids must be unique across packages"));
  if (Array.isArray(input.dependencies)) {
    const seen = new Set<unknown>();
    input.dependencies.forEach((name, index) => {
      if (seen.has(name)) issues.push({ path: `dependencies[${index}]`, message: `${quote(name)} is listed twice; list each package once` });
      seen.add(name);
    });
  }
  // getTableColumns, not getTableConfig: the config runs each table's index/key builder, and
  // only the column names are needed here (validation builds the config later, cached).
  const columnsByTable = new Map(tables.map((t) => [tableName(t), new Set(Object.values(getTableColumns(t)).map((c) => c.name))]));
  const known = () => [...columnsByTable.keys()].map(quote).join(", ") || "none";
  if (isPlainRecord(input.descriptions)) {
    for (const [table, description] of Object.entries(input.descriptions)) {
      const columns = columnsByTable.get(table);
      if (!columns) {
        issues.push({ path: formatPath(["descriptions", table]), message: `no table ${quote(table)} in this schema; use a table's SQL name (tables: ${known()})` });
        continue;
      }
      const described = isPlainRecord(description) && isPlainRecord(description.columns) ? description.columns : {};
      for (const column of Object.keys(described)) {
        if (!columns.has(column)) {
          issues.push({ path: formatPath(["descriptions", table, "columns", column]), message: `no column ${quote(column)} in table ${quote(table)}; use the SQL column name` });
        }
      }
    }
  }
  if (isPlainRecord(input.globalTables)) {
    // A materialized view stores rows like a table: it may be declared global too (view-isolation rule).
    const materialized = new Set((entities?.materializedViews ?? []).map(materializedViewName));
    for (const table of Object.keys(input.globalTables)) {
      if (!columnsByTable.has(table) && !materialized.has(table)) {
        issues.push({ path: formatPath(["globalTables", table]), message: `no table ${quote(table)} in this schema; declare a table of this package by its SQL name (tables: ${known()})` });
      }
    }
  }
  return issues;
}

function materializedViewName(view: PgMaterializedView): string {
  const c = getMaterializedViewConfig(view);
  return c.schema && c.schema !== "public" ? `${c.schema}.${c.name}` : c.name;
}

function repeatedIds(list: unknown, field: string, rule: string): ManifestIssue[] {
  if (!Array.isArray(list)) return [];
  const issues: ManifestIssue[] = [];
  const seen = new Map<string, number>();
  list.forEach((item: unknown, index) => {
    const id = isPlainRecord(item) ? item.id : undefined;
    if (typeof id !== "string") return;
    const first = seen.get(id);
    if (first !== undefined) issues.push({ path: `${field}[${index}].id`, message: `${quote(id)} repeats ${field}[${first}].id; ${rule}` });
    else seen.set(id, index);
  });
  return issues;
}

function freezeManifest(manifest: DatabaseManifest): DatabaseManifest {
  for (const key of ["dependencies", "tools", "descriptions", "exemptions", "globalTables", "extensions"] as const) Object.freeze(manifest[key]);
  return Object.freeze(manifest);
}

/**
 * True for a value made by `defineDatabase()` (from any installed copy of this package).
 *
 * @example
 * if (!isDatabaseManifest(mod.default)) throw new Error("not a manifest");
 */
export function isDatabaseManifest(value: unknown): value is DatabaseManifest {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MANIFEST_BRAND] === true;
}
