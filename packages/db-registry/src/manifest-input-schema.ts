import semver from "semver";
import { z } from "zod";
import type { MigrationDefinition } from "./manifest.ts";
import { parseDuration } from "./parse-duration.ts";

const SCOPED_NAME = /^@[a-z0-9][a-z0-9._~-]*\/[a-z0-9][a-z0-9._~-]*$/;
const MIGRATION_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** A PostgreSQL extension name as `CREATE EXTENSION` takes it unquoted. */
const EXTENSION_NAME = /^[a-z_][a-z0-9_-]*$/;
const quote = (v: unknown) => JSON.stringify(v);

/** How to write each top-level field of a manifest, for messages. */
export const FIELD_HELP: Readonly<Record<string, string>> = {
  packageName: 'write a scoped npm name, e.g. packageName: "@ydtb/notes"',
  version: "write the package.json version (semver), e.g. version: pkg.version",
  schema: 'pass the schema module: `import * as schema from "./schema"`, then `schema`',
  migrations: 'write a drizzle-kit folder path (e.g. "./drizzle"), a file: URL, or an array of { id, up, down? }',
  dependencies: 'write { "@ydtb/core": "^1.0.0" } (name → semver range) or ["@ydtb/core"] (any version)',
  tools: 'write an array such as [{ id: "notes", name: "Notes" }]',
  descriptions: 'write { ydtb_notes_items: { description: "…", columns: { title: "…" } } } by SQL names',
  exemptions: 'write an array such as [{ rule: "naming", table: "ydtb_notes_items", reason: "…" }]',
  globalTables: 'write { ydtb_notes_countries: "reference data shared by every workspace" } (SQL table name → reason)',
  extensions: 'write an array of extension names, e.g. ["pg_trgm"]',
  lockTimeout: 'write a duration, e.g. lockTimeout: "10s" (or "500ms", "2min", or a number of milliseconds)',
  statementTimeout: 'write a duration, e.g. statementTimeout: "5min" (or a number of milliseconds)',
};

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return Object.getPrototypeOf(value) === null ? "an object without prototype" : `an object (${value.constructor?.name ?? "unknown"})`;
  return `a ${typeof value}`;
}

/**
 * The error map every manifest check runs with: zod's own words replaced by what is wrong with
 * the field and how to write it (`FIELD_HELP`). Messages a check sets itself are kept.
 */
export const manifestErrorMap: z.core.$ZodErrorMap = (issue) => errorIn(issue);

/** {@link manifestErrorMap} for a check run on one field's value (paths start inside it). */
const errorMapOf =
  (field: string): z.core.$ZodErrorMap =>
  (issue) =>
    errorIn(issue, field);

function errorIn(issue: Parameters<z.core.$ZodErrorMap>[0], fieldOverride?: string): string {
  const field = fieldOverride ?? (typeof issue.path?.[0] === "string" ? issue.path[0] : undefined);
  const help = field && FIELD_HELP[field] ? `; ${FIELD_HELP[field]}` : "";
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `is required${help}` : `is ${describeValue(issue.input)}, but must be ${article(issue.expected)}${help}`;
    case "too_small":
      return `is too short (at least ${String(issue.minimum)})${help}`;
    case "too_big":
      return `is too long (at most ${String(issue.maximum)})${help}`;
    case "invalid_key":
      return `has a key that is not allowed${help}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => quote(v)).join(", ")}${help}`;
    default:
      return `is not valid here${help}`;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = { record: "an object", object: "an object", array: "an array", string: "a string", boolean: "true or false", number: "a number", function: "a function" };
  return names[expected] ?? `a ${expected}`;
}

const duration = z.union([z.string(), z.number()]).refine((v) => parseDuration(v) !== undefined, {
  error: (i) => `${quote(i.input)} is not a duration; write e.g. "10s", "500ms", "2min" or a number of milliseconds`,
});

const packageName = z.string().refine((v) => SCOPED_NAME.test(v), {
  error: (i) => `${quote(i.input)} is not a scoped npm package name; write it as "@scope/name", e.g. "@ydtb/notes"`,
});
// Every manifest names the same few ranges ("^1.0.0"); semver's Range parse is the dear part of a
// manifest check, so each distinct string is parsed once per process.
const validRanges = new Map<string, boolean>();
function isValidRange(v: string): boolean {
  let valid = validRanges.get(v);
  if (valid === undefined) validRanges.set(v, (valid = semver.validRange(v) !== null));
  return valid;
}
const range = z.string().refine(isValidRange, {
  error: (i) => `${quote(i.input)} is not a semver range; write e.g. "^1.0.0" (or "*" for any version)`,
});

const migration = z.object({
  id: z.string().refine((v) => MIGRATION_ID.test(v), {
    error: (i) => `${quote(i.input)} is not a migration id; use letters, digits, "_", "-" and "." (e.g. "0001_add_tags")`,
  }),
  up: z.custom<MigrationDefinition["up"]>((v) => typeof v === "function", "must be a function, e.g. up: async (db) => { await db.execute(sql`…`) }"),
  down: z.custom<NonNullable<MigrationDefinition["down"]>>((v) => typeof v === "function", "must be a function, e.g. down: async (db) => { … }").optional(),
  transaction: z.boolean().optional(),
  checksumSource: z.string().optional(),
  lockTimeout: duration.optional(),
});

const tool = z.object({
  id: z
    .string()
    .min(1)
    .max(20, "a tool id is at most 20 characters (ydtb_tools.id is varchar(20)); shorten it")
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'a tool id is lower-case letters, digits, "_" and "-" (no spaces), e.g. "notes"'),
  name: z.string().min(1, "a tool needs a name, e.g. name: \"Notes\""),
  description: z.string().optional(),
  icon: z.string().optional(),
});

const reason = (what: string) =>
  z.string({ error: `${what} needs a reason: say why, in words` }).trim().min(1, `${what} needs a reason: say why, in words`);

const migrationList = z.array(migration);

// Not z.union: a union reports only "no branch matched", and the author needs to know which
// migration's which field is wrong.
const migrations = z.custom<string | URL | MigrationDefinition[]>().superRefine((value, ctx) => {
  if (value instanceof URL) {
    if (value.protocol !== "file:") ctx.addIssue({ code: "custom", message: `${quote(value.href)} is not a file: URL; write new URL("../drizzle", import.meta.url) or a folder path` });
    return;
  }
  if (typeof value === "string") {
    if (value.length === 0) ctx.addIssue({ code: "custom", message: 'the migrations folder path is empty; write e.g. "./drizzle"' });
    return;
  }
  if (!Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: `is ${describeValue(value)}; ${FIELD_HELP.migrations}` });
    return;
  }
  const parsed = migrationList.safeParse(value, { error: errorMapOf("migrations") });
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as PropertyKey[] });
});

// Built once, not per manifest.
const dependencyList = z.array(packageName);
const dependencyRanges = z.record(packageName, range);

// A record of ranges, or a list of names meaning "any version of each".
const dependencies = z.custom<Record<string, string> | string[]>().superRefine((value, ctx) => {
  if (!Array.isArray(value) && (typeof value !== "object" || value === null)) {
    ctx.addIssue({ code: "custom", message: `is ${describeValue(value)}; ${FIELD_HELP.dependencies}` });
    return;
  }
  const inner = Array.isArray(value)
    ? dependencyList.safeParse(value, { error: errorMapOf("dependencies") })
    : dependencyRanges.safeParse(value, { error: errorMapOf("dependencies") });
  if (inner.success) return;
  for (const issue of inner.error.issues) {
    // A bad key of a record: name the key itself, not the record.
    if (issue.code === "invalid_key") for (const sub of issue.issues) ctx.addIssue({ code: "custom", message: sub.message, path: [...issue.path] as PropertyKey[] });
    else ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as PropertyKey[] });
  }
});

/** The zod schema of `defineDatabase()` input. Run it with {@link manifestErrorMap}. */
export const manifestInputSchema = z
  .object({
    packageName,
    version: z.string().refine((v) => semver.valid(v) !== null, {
      error: (i) => `${quote(i.input)} is not a valid semver version; write e.g. "1.0.0"`,
    }),
    schema: z.record(z.string(), z.unknown()).default({}),
    migrations,
    dependencies: dependencies.default({}),
    tools: z.array(tool).default([]),
    descriptions: z
      .record(
        z.string(),
        z.object({
          description: z.string().min(1, 'a description is empty; say what a row is, e.g. "Notes of a workspace."'),
          columns: z.record(z.string(), z.string().min(1, "a description is empty; say what the column holds")).optional(),
        }),
      )
      .default({}),
    exemptions: z
      .array(
        z.object({
          rule: z.string().min(1, "an exemption names the rule it silences (`ydtb-db rules` lists them)"),
          table: z.string().min(1, "an exemption names its table (SQL name)"),
          column: z.string().min(1).optional(),
          constraint: z.string().min(1).optional(),
          index: z.string().min(1).optional(),
          reason: reason("an exemption"),
        }),
      )
      .default([]),
    globalTables: z.record(z.string(), reason("a global table")).default({}),
    extensions: z
      .array(
        z.string().refine((v) => EXTENSION_NAME.test(v), {
          error: (i) => `${quote(i.input)} is not a PostgreSQL extension name; write it lower-case as CREATE EXTENSION takes it, e.g. "pg_trgm"`,
        }),
      )
      .default([]),
    lockTimeout: duration.optional(),
    statementTimeout: duration.optional(),
  })
  .strict();

/** The parsed input: `dependencies` may still be a list of names. */
export type ParsedManifestInput = z.output<typeof manifestInputSchema>;

/** `["@ydtb/a"]` → `{ "@ydtb/a": "*" }`; a record is returned as is. */
export function dependencyRecord(value: Readonly<Record<string, string>> | readonly string[]): Record<string, string> {
  return Array.isArray(value) ? Object.fromEntries(value.map((name: string) => [name, "*"])) : { ...(value as Record<string, string>) };
}
