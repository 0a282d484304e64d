import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pgEnum, pgMaterializedView, pgRole, pgSchema, pgSequence, pgTable, pgView, text, varchar } from "drizzle-orm/pg-core";
import { relations, sql } from "drizzle-orm";
import {
  compareNames,
  createRegistry,
  DuplicatePackageError,
  defineDatabase,
  discoverDatabases,
  findDatabasePackages,
  ManifestError,
  migrationsFolder,
  manifestChanges,
  parseDuration,
  workspacePatterns,
  NotAManifestError,
  schemaEntities,
  SchemaValidationError,
  tableName,
  type Diagnostic,
} from "../src/index.ts";
import { input, manifest, schemaFor } from "./builders.ts";

/** The error `fn` throws, checked to be a `type`. */
function thrown<E extends Error>(type: new (...args: never[]) => E, fn: () => unknown): E {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(type);
  return error as E;
}

const scoped = (name: string) => pgTable(name, { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").primaryKey() });

describe("compareNames", () => {
  test("is a total order by code units: negative, zero, positive", () => {
    expect([compareNames("@ydtb/a", "@ydtb/b"), compareNames("@ydtb/b", "@ydtb/a"), compareNames("@ydtb/a", "@ydtb/a")]).toEqual([-1, 1, 0]);
    // Upper case sorts before lower case (code units, not locale).
    expect(["b", "a", "B", "A"].sort(compareNames)).toEqual(["A", "B", "a", "b"]);
  });
});

describe("schemaEntities", () => {
  test("sorts every kind of export, keeping the module's order, and names what it ignored", () => {
    const schema = pgSchema("ydtb_side");
    const mood = pgEnum("ydtb_demo_mood2", ["a"]);
    const second = scoped("ydtb_demo_second");
    const first = scoped("ydtb_demo_first");
    const [s2, s1] = [pgSequence("ydtb_demo_s2"), pgSequence("ydtb_demo_s1")];
    const [m2, m1] = ["ydtb_demo_m2", "ydtb_demo_m1"].map((n) => pgMaterializedView(n, { id: text("id") }).as(sql`SELECT 'x' AS id`));
    const [v2, v1] = ["ydtb_demo_v2", "ydtb_demo_v1"].map((n) => pgView(n, { id: text("id") }).as(sql`SELECT 'x' AS id`));
    const [schema2, mood0, r2, r1] = [pgSchema("ydtb_side2"), pgEnum("ydtb_demo_mood1", ["b"]), pgRole("ydtb_demo_r2"), pgRole("ydtb_demo_r1")];
    const secondRelations = relations(second, () => ({}));
    const entities = schemaEntities({ second, schema, helper: 1, first, mood, label: "x", s2, s1, m2, v2, m1, v1, schema2, mood0, r2, secondRelations, r1 });
    expect([entities.materializedViews, entities.views]).toEqual([[m2!, m1!], [v2!, v1!]]);
    expect(entities.tables).toEqual([second, first]);
    expect(entities.sequences).toEqual([s2, s1]);
    expect(entities.schemas).toEqual([schema, schema2]);
    expect(entities.enums as readonly unknown[]).toEqual([mood, mood0]);
    expect(entities.roles).toEqual([r2, r1]);
    expect(entities.allowed).toEqual(["second", "schema", "first", "mood", "s2", "s1", "m2", "v2", "m1", "v1", "schema2", "mood0", "r2", "secondRelations", "r1"]);
    expect(entities.unknown).toEqual(["helper", "label"]);
  });

  test("a manifest's tables are in the schema module's order; a table in a pgSchema is qualified", () => {
    const side = pgSchema("ydtb_side");
    const b = scoped("ydtb_demo_b");
    const a = scoped("ydtb_demo_a");
    const inSide = side.table("ydtb_demo_c", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").primaryKey() });
    const m = manifest({ schema: { b, a, side, inSide } });
    expect(m.tables.map(tableName)).toEqual(["ydtb_demo_b", "ydtb_demo_a", "ydtb_side.ydtb_demo_c"]);
  });
});

describe("manifestChanges", () => {
  test("added, removed and altered tables are sorted by name; an unchanged table is not altered", () => {
    const before = manifest({
      schema: { zold: scoped("ydtb_demo_zold"), keep: scoped("ydtb_demo_keep"), gone: scoped("ydtb_demo_gone"), walter: scoped("ydtb_demo_walter"), alter: scoped("ydtb_demo_alter") },
    });
    const altered = (name: string) => pgTable(name, { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").primaryKey(), note: text("note") });
    const after = manifest({
      version: "1.1.0",
      schema: { zeta: scoped("ydtb_demo_zeta"), keep: scoped("ydtb_demo_keep"), alpha: scoped("ydtb_demo_alpha"), walter: altered("ydtb_demo_walter"), alter: altered("ydtb_demo_alter") },
    });
    expect(manifestChanges(before, after)).toEqual({
      tablesAdded: ["ydtb_demo_alpha", "ydtb_demo_zeta"],
      tablesRemoved: ["ydtb_demo_gone", "ydtb_demo_zold"],
      tablesAltered: ["ydtb_demo_alter", "ydtb_demo_walter"],
      versionChanged: true,
    });
    expect(manifestChanges(before, before)).toEqual({ tablesAdded: [], tablesRemoved: [], tablesAltered: [], versionChanged: false });
  });
});

describe("registerDatabase refusals", () => {
  test("NotAManifestError names what it received", () => {
    const registry = createRegistry();
    const received = [null, [1], 42, "x", undefined].map((v) => thrown(NotAManifestError, () => registry.registerDatabase(v as never)).received);
    expect(received).toEqual(["null", "an array", "number", "string", "undefined"]);
    expect(registry.list()).toEqual([]);
  });

  test("SchemaValidationError counts and lists errors only; a diagnostic without a table has no location prefix", () => {
    const diagnostics: Diagnostic[] = [
      { rule: "r1", severity: "error", package: "@ydtb/demo", message: "package-level problem" },
      { rule: "r2", severity: "warning", package: "@ydtb/demo", table: "ydtb_demo_items", message: "only a warning" },
      { rule: "r3", severity: "error", package: "@ydtb/demo", table: "ydtb_demo_items", column: "count", message: "bad column", suggestion: "do this" },
    ];
    const registry = createRegistry({ validate: () => ({ diagnostics, exempted: [] }) });
    const error = thrown(SchemaValidationError, () => registry.registerDatabase(manifest()));
    expect(error.code).toBe("SCHEMA_VALIDATION_FAILED");
    expect(error.diagnostics).toEqual(diagnostics);
    expect(error.message.split("\n")).toEqual([
      `"@ydtb/demo" has 2 schema errors; nothing was registered:`,
      "  - [r1] package-level problem",
      "  - [r3] ydtb_demo_items.count: bad column",
      "      fix: do this",
    ]);
    // Refused: nothing owned, nothing listed.
    expect([registry.list(), registry.ownerOf("ydtb_demo_items")]).toEqual([[], undefined]);
  });

  test("a package name registered twice in production: refused, the message naming sources only when known", () => {
    const registry = createRegistry();
    registry.registerDatabase(manifest());
    const error = thrown(DuplicatePackageError, () => registry.registerDatabase(manifest()));
    expect([error.code, error.packageName, error.existingSource, error.newSource]).toEqual(["DUPLICATE_PACKAGE", "@ydtb/demo", undefined, undefined]);
    expect(error.message).toStartWith(`Package "@ydtb/demo" is already registered; a second manifest claims the same name.`);
    const named = new DuplicatePackageError("@ydtb/demo", "/a/database.ts", "/b/database.ts");
    expect(named.message).toStartWith(`Package "@ydtb/demo" is already registered (from /a/database.ts); a second manifest (from /b/database.ts) claims the same name.`);
  });

  test("warnings alone register, and are returned", () => {
    const warning: Diagnostic = { rule: "r", severity: "warning", package: "@ydtb/demo", message: "w" };
    const registry = createRegistry({ validate: () => ({ diagnostics: [warning], exempted: [] }) });
    expect(registry.registerDatabase(manifest()).warnings).toEqual([warning]);
    expect(registry.has("@ydtb/demo")).toBe(true);
  });
});

describe("defineDatabase issues", () => {
  test("a bad key of the dependencies record is named by its own path", () => {
    const issues = (dependencies: unknown) => thrown(ManifestError, () => defineDatabase(input({ dependencies }))).issues;
    expect(issues({ "not a name": "^1.0.0" })).toEqual([
      { path: `dependencies["not a name"]`, message: `"not a name" is not a scoped npm package name; write it as "@scope/name", e.g. "@ydtb/notes"` },
    ]);
    expect(issues({ "@ydtb/a": "not a range" })).toEqual([
      { path: `dependencies["@ydtb/a"]`, message: `"not a range" is not a semver range; write e.g. "^1.0.0" (or "*" for any version)` },
    ]);
    expect(issues(null).map((i) => [i.path, i.message.split(";")[0]])).toEqual([["dependencies", "is null"]]);
    expect(issues(7).map((i) => [i.path, i.message.split(";")[0]])).toEqual([["dependencies", "is a number"]]);
  });

  test("cross-field issues come in the order of the fields: empty schema, repeated migrations, repeated tools", () => {
    const m = { id: "0001_a", up: () => {} };
    const tool = { id: "notes", name: "Notes" };
    const error = thrown(ManifestError, () => defineDatabase(input({ schema: { x: 1 }, migrations: [m, m], tools: [tool, tool] })));
    expect(error.issues.map((i) => i.path)).toEqual(["schema", "migrations[1].id", "tools[1].id"]);
  });
});

describe("exemptions and migrations folders", () => {
  test("an exemption may name a column, constraint or index, never an empty one", () => {
    const exemption = { rule: "naming", table: "ydtb_demo_items", column: "count", constraint: "ydtb_demo_items_pk", index: "ydtb_demo_items_idx", reason: "legacy name" };
    expect(manifest({ exemptions: [exemption] }).exemptions).toEqual([exemption]);
    for (const field of ["column", "constraint", "index"]) {
      const error = thrown(ManifestError, () => manifest({ exemptions: [{ ...exemption, [field]: "" }] }));
      expect(error.issues.map((i) => i.path)).toEqual([`exemptions[0].${field}`]);
    }
  });

  test("TypeScript migrations have no folder; an absolute folder is itself; a relative one needs the package folder", () => {
    expect(migrationsFolder(manifest({ migrations: [{ id: "0000_a", up: () => {} }] }))).toBeUndefined();
    expect(migrationsFolder(manifest({ migrations: "/abs/drizzle" }))).toBe("/abs/drizzle");
    expect(thrown(ManifestError, () => migrationsFolder({ ...manifest(), migrations: "./drizzle", packageDir: undefined } as never)).issues.map((i) => i.path)).toEqual(["migrations"]);
  });
});

describe("findDatabasePackages", () => {
  const tmpRoot = resolve(import.meta.dir, "../../../.tmp");
  mkdirSync(tmpRoot, { recursive: true });
  const root = mkdtempSync(join(tmpRoot, "find-packages-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("workspace patterns: an array or { packages }, negations left out; ignored folders are never listed", () => {
    const dir = mkdtempSync(join(tmpRoot, "patterns-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ workspaces: ["packages/*", "!packages/skip", "apps/*/"] }));
      expect(workspacePatterns(dir)).toEqual(["packages/*", "apps/*/"]);
      writeFileSync(join(dir, "package.json"), JSON.stringify({ workspaces: { packages: ["libs/*", "!libs/x"] } }));
      expect(workspacePatterns(dir)).toEqual(["libs/*"]);
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "no-workspaces" }));
      expect(workspacePatterns(dir)).toEqual([]);
      // A package inside node_modules matched by a deep glob is not a workspace package.
      writeFileSync(join(dir, "package.json"), JSON.stringify({ workspaces: ["libs/**"] }));
      for (const sub of ["libs/real", "libs/real/node_modules/dep"]) {
        mkdirSync(join(dir, sub, "src"), { recursive: true });
        writeFileSync(join(dir, sub, "package.json"), JSON.stringify({ name: `@ydtb/${sub.split("/").pop()}` }));
        writeFileSync(join(dir, sub, "src/database.ts"), "export default {};\n");
      }
      expect(findDatabasePackages(dir).map((p) => p.name)).toEqual(["@ydtb/real"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a declared manifest file that is missing, and a module without a manifest as default, are failures with their own message", async () => {
    const dir = mkdtempSync(join(tmpRoot, "discover-fail-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ workspaces: ["packages/*"] }));
      mkdirSync(join(dir, "packages/missing"), { recursive: true });
      writeFileSync(join(dir, "packages/missing/package.json"), JSON.stringify({ name: "@ydtb/missing", ydtb: { database: "db/manifest.ts" } }));
      mkdirSync(join(dir, "packages/plain/src"), { recursive: true });
      writeFileSync(join(dir, "packages/plain/package.json"), JSON.stringify({ name: "@ydtb/plain" }));
      writeFileSync(join(dir, "packages/plain/src/database.ts"), "export default { packageName: '@ydtb/plain' };\n");
      const { manifests, failures } = await discoverDatabases(dir);
      expect(manifests).toEqual([]);
      expect(failures.map((f) => [f.packageName, f.file, f.message, f.cause])).toEqual([
        ["@ydtb/missing", join(dir, "packages/missing/db/manifest.ts"), `the manifest file does not exist; create it or fix "ydtb.database" in package.json`, undefined],
        ["@ydtb/plain", join(dir, "packages/plain/src/database.ts"), "the file does not `export default defineDatabase({ ... })`", undefined],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a package.json without a name is listed by its folder, relative to the root", () => {
    const write = (path: string, text: string) => {
      mkdirSync(join(root, path, ".."), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write("package.json", JSON.stringify({ private: true, workspaces: ["packages/*"] }));
    write("packages/anon/package.json", JSON.stringify({ private: true }));
    write("packages/anon/src/database.ts", "export default {};\n");
    write("packages/named/package.json", JSON.stringify({ name: "@ydtb/named" }));
    write("packages/named/src/database.ts", "export default {};\n");
    expect(findDatabasePackages(root).map((p) => [p.name, p.file])).toEqual([
      ["packages/anon", join(root, "packages/anon/src/database.ts")],
      ["@ydtb/named", join(root, "packages/named/src/database.ts")],
    ]);
  });
});

// The builders' schema is used so this file also fails if they stop producing a valid manifest.
test("the builders' manifest registers with both tables owned", () => {
  const registry = createRegistry();
  registry.registerDatabase(manifest({ schema: schemaFor("own") }));
  expect([registry.ownerOf("ydtb_own_items"), registry.ownerOf("ydtb_own_tags")]).toEqual(["@ydtb/demo", "@ydtb/demo"]);
});

test("parseDuration reads PostgreSQL's units and plain milliseconds, and refuses anything else", () => {
  const inputs: (string | number)[] = ["500ms", "10s", "2min", "1.5s", " 5 s ", "0", "42", 250, 1.6, 0];
  expect(inputs.map(parseDuration)).toEqual([500, 10_000, 120_000, 1500, 5000, 0, 42, 250, 2, 0]);
  const refused: (string | number)[] = [-1, Number.NaN, Number.POSITIVE_INFINITY, "10 seconds", "-1s", "1h", "", "s", "1e3"];
  expect(refused.map(parseDuration)).toEqual(refused.map(() => undefined));
});
