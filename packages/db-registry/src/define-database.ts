import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { getTableConfig } from "drizzle-orm/pg-core";
import semver from "semver";
import { z } from "zod";
import { ManifestError, type ManifestIssue } from "./errors.ts";
import {
  MANIFEST_BRAND,
  type DatabaseManifest,
  type DatabaseManifestInput,
  type MigrationDefinition,
} from "./manifest.ts";
import { parseDuration } from "./parse-duration.ts";
import { schemaEntities, tableName } from "./schema-entities.ts";

const SCOPED_NAME = /^@[a-z0-9][a-z0-9._~-]*\/[a-z0-9][a-z0-9._~-]*$/;
const MIGRATION_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const quote = (v: unknown) => JSON.stringify(v);

const packageName = z.string().refine((v) => SCOPED_NAME.test(v), {
  error: (i) => `${quote(i.input)} is not a scoped npm package name; write it as "@scope/name", e.g. "@ydtb/notes"`,
});

const duration = z.union([z.string(), z.number()]).refine((v) => parseDuration(v) !== undefined, {
  error: (i) => `${quote(i.input)} is not a duration; write e.g. "10s", "500ms", "2min" or a number of milliseconds`,
});

const migration = z.object({
  id: z.string().refine((v) => MIGRATION_ID.test(v), {
    error: (i) => `${quote(i.input)} is not a migration id; use letters, digits, "_", "-" and "." (e.g. "0001_add_tags")`,
  }),
  up: z.custom<MigrationDefinition["up"]>((v) => typeof v === "function", "up must be a function (db) => …"),
  down: z.custom<NonNullable<MigrationDefinition["down"]>>((v) => typeof v === "function", "down must be a function (db) => …").optional(),
  transaction: z.boolean().optional(),
  checksumSource: z.string().optional(),
  lockTimeout: duration.optional(),
});

const tool = z.object({
  id: z.string().min(1).max(20, "a tool id is at most 20 characters (ydtb_tools.id is varchar(20))").regex(/^[a-z0-9][a-z0-9_-]*$/, "a tool id is lower-case letters, digits, \"_\" and \"-\""),
  name: z.string().min(1, "a tool needs a name"),
  description: z.string().optional(),
  icon: z.string().optional(),
});

const manifestInput = z
  .object({
    packageName,
    version: z.string().refine((v) => semver.valid(v) !== null, {
      error: (i) => `${quote(i.input)} is not a valid semver version; write e.g. "1.0.0"`,
    }),
    schema: z.record(z.string(), z.unknown(), "schema must be an object: `import * as schema from \"./schema\"`"),
    // Not a z.union: a union reports only "no branch matched", and the author needs to
    // know which migration's which field is wrong.
    migrations: z.custom<string | URL | MigrationDefinition[]>().superRefine((value, ctx) => {
      if (value instanceof URL) return;
      if (typeof value === "string") {
        if (value.length === 0) ctx.addIssue({ code: "custom", message: "the migrations folder path is empty" });
        return;
      }
      if (!Array.isArray(value)) {
        ctx.addIssue({ code: "custom", message: 'migrations must be a drizzle-kit folder path (e.g. "./drizzle") or an array of { id, up, down? }' });
        return;
      }
      const parsed = z.array(migration).safeParse(value);
      if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as PropertyKey[] });
    }),
    dependencies: z
      .record(
        packageName,
        z.string().refine((v) => semver.validRange(v) !== null, {
          error: (i) => `${quote(i.input)} is not a semver range; write e.g. "^1.0.0"`,
        }),
      )
      .default({}),
    tools: z.array(tool).default([]),
    descriptions: z
      .record(z.string(), z.object({ description: z.string().min(1, "a description is empty"), columns: z.record(z.string(), z.string().min(1, "a description is empty")).optional() }))
      .default({}),
    exemptions: z
      .array(
        z.object({
          rule: z.string().min(1, "an exemption names the rule it silences"),
          table: z.string().min(1, "an exemption names its table"),
          column: z.string().min(1).optional(),
          reason: z.string({ error: "an exemption needs a reason: say why the rule does not apply" }).trim().min(1, "an exemption needs a reason: say why the rule does not apply"),
        }),
      )
      .default([]),
    lockTimeout: duration.optional(),
    statementTimeout: duration.optional(),
  })
  .strict();

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
  const parsed = manifestInput.safeParse(input);
  const issues: ManifestIssue[] = parsed.success
    ? []
    : parsed.error.issues.flatMap((i) =>
        i.code === "unrecognized_keys"
          ? i.keys.map((key) => ({ path: formatPath([...i.path, key]), message: `unknown field; a manifest has ${Object.keys(manifestInput.shape).join(", ")}` }))
          : [{ path: formatPath(i.path), message: i.message }],
      );
  const name = typeof input?.packageName === "string" ? input.packageName : undefined;

  // Checks that need the whole input: they run even when the shape has other problems.
  const schema = input && typeof input.schema === "object" && input.schema !== null ? input.schema : undefined;
  const tables = schema ? schemaEntities(schema).tables : [];
  if (schema && tables.length === 0) {
    issues.push({ path: "schema", message: "holds no Drizzle pg table; export at least one pgTable(...) from the schema module" });
  }
  if (Array.isArray(input?.migrations)) {
    const seen = new Map<string, number>();
    input.migrations.forEach((m, index) => {
      const id = (m as { id?: unknown })?.id;
      if (typeof id !== "string") return;
      const first = seen.get(id);
      if (first !== undefined) issues.push({ path: `migrations[${index}].id`, message: `${quote(id)} repeats migrations[${first}].id; every migration id must be unique` });
      else seen.set(id, index);
    });
  }
  if (Array.isArray(input?.tools)) {
    const seen = new Map<string, number>();
    input.tools.forEach((t, index) => {
      const id = (t as { id?: unknown })?.id;
      if (typeof id !== "string") return;
      const first = seen.get(id);
      if (first !== undefined) issues.push({ path: `tools[${index}].id`, message: `${quote(id)} repeats tools[${first}].id; tool ids must be unique` });
      else seen.set(id, index);
    });
  }
  if (input?.descriptions && typeof input.descriptions === "object" && tables.length > 0) {
    const columnsByTable = new Map(tables.map((t) => [tableName(t), new Set(getTableConfig(t).columns.map((c) => c.name))]));
    for (const [table, description] of Object.entries(input.descriptions)) {
      const columns = columnsByTable.get(table);
      if (!columns) {
        issues.push({ path: formatPath(["descriptions", table]), message: `no table ${quote(table)} in this schema; tables: ${[...columnsByTable.keys()].map(quote).join(", ")}` });
        continue;
      }
      for (const column of Object.keys(description?.columns ?? {})) {
        if (!columns.has(column)) {
          issues.push({ path: formatPath(["descriptions", table, "columns", column]), message: `no column ${quote(column)} in table ${quote(table)}; use the SQL column name` });
        }
      }
    }
  }
  if (!parsed.success || issues.length > 0) throw new ManifestError(name, issues);

  const value = parsed.data;
  const migrations = value.migrations instanceof URL ? fileURLToPath(value.migrations) : value.migrations;
  return freezeManifest({
    [MANIFEST_BRAND]: true,
    packageName: value.packageName,
    version: value.version,
    schema: Object.freeze({ ...value.schema }),
    tables: Object.freeze(tables),
    migrations: typeof migrations === "string" ? migrations : Object.freeze(migrations.map((m) => Object.freeze({ ...m }))),
    dependencies: value.dependencies,
    tools: value.tools,
    descriptions: value.descriptions,
    exemptions: value.exemptions,
    ...(value.lockTimeout !== undefined ? { lockTimeoutMs: parseDuration(value.lockTimeout)! } : {}),
    ...(value.statementTimeout !== undefined ? { statementTimeoutMs: parseDuration(value.statementTimeout)! } : {}),
  });
}

function freezeManifest(manifest: DatabaseManifest): DatabaseManifest {
  for (const key of ["dependencies", "tools", "descriptions", "exemptions"] as const) Object.freeze(manifest[key]);
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

/**
 * Returns a copy of `manifest` that knows its package folder (and source file), so a relative
 * `migrations` path resolves. Discovery does this for you.
 */
export function bindManifest(manifest: DatabaseManifest, where: { readonly packageDir: string; readonly source?: string }): DatabaseManifest {
  return Object.freeze({ ...manifest, [MANIFEST_BRAND]: true as const, packageDir: where.packageDir, ...(where.source ? { source: where.source } : {}) });
}

/**
 * The absolute migrations folder of a manifest with a folder path, or `undefined` for
 * TypeScript migrations. A relative path needs `packageDir` (set by discovery).
 */
export function migrationsFolder(manifest: DatabaseManifest): string | undefined {
  if (typeof manifest.migrations !== "string") return undefined;
  if (isAbsolute(manifest.migrations)) return manifest.migrations;
  if (!manifest.packageDir) {
    throw new ManifestError(manifest.packageName, [
      {
        path: "migrations",
        message: `${quote(manifest.migrations)} is relative but the package folder is unknown; register the manifest through discoverDatabases(), or write migrations: new URL("../drizzle", import.meta.url)`,
      },
    ]);
  }
  return resolve(manifest.packageDir, manifest.migrations);
}
