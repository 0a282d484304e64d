import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { foreignKey, pgMaterializedView, pgSchema, pgTable, text } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { defineDatabase, discoverDatabasesOrThrow, isGlobalTable, ManifestError, manifestChanges, TableConflictError } from "../src/index.ts";
import { input, manifest } from "./builders.ts";

/** The ManifestError `fn` throws. */
function manifestError(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error("expected a ManifestError");
}

describe("ManifestError's words", () => {
  test("input without a package name is 'a package', never \"undefined\"", () => {
    const error = manifestError(() => defineDatabase(null as never));
    expect(error.packageName).toBeUndefined();
    expect(error.message.split("\n")[0]).toBe("defineDatabase() for a package has 1 problem:");
    expect(error.message.split("\n")[1]).toBe("  - the manifest is null; pass an object: defineDatabase({ packageName, version, schema, migrations })");
    const named = manifestError(() => defineDatabase(input({ version: "1.0", migrations: "" })));
    expect(named.message.split("\n")[0]).toBe('defineDatabase() for "@ydtb/demo" has 2 problems:');
  });

  test("a value of the wrong kind is described: an object by its class, one without prototype as such", () => {
    const message = (migrations: unknown) => manifestError(() => defineDatabase(input({ migrations }))).issues.map((i) => [i.path, i.message.split(";")[0]]);
    expect(message({})).toEqual([["migrations", "is an object (Object)"]]);
    expect(message(new Map())).toEqual([["migrations", "is an object (Map)"]]);
    expect(message(Object.create(null))).toEqual([["migrations", "is an object without prototype"]]);
    expect(message(null)).toEqual([["migrations", "is null"]]);
    expect(message(true)).toEqual([["migrations", "is a boolean"]]);
  });

  test("a missing field is required; a field of the wrong type says what it is and what it must be", () => {
    const { version: _, ...noVersion } = input() as unknown as Record<string, unknown>;
    const missing = manifestError(() => defineDatabase(noVersion as never)).issues;
    expect(missing.map((i) => [i.path, i.message])).toEqual([["version", "is required; write the package.json version (semver), e.g. version: pkg.version"]]);
    const wrong = manifestError(() => defineDatabase(input({ version: 42, tools: "notes" }))).issues;
    expect(wrong.map((i) => [i.path, i.message.split(";")[0]])).toEqual([
      ["version", "is a number, but must be a string"],
      ["tools", "is a string, but must be an array"],
    ]);
  });
});

describe("what the manifest checks accept and refuse, at the edges", () => {
  const paths = (overrides: Record<string, unknown>) => {
    try {
      defineDatabase(input(overrides));
      return [];
    } catch (error) {
      if (error instanceof ManifestError) return error.issues.map((i) => i.path);
      throw error;
    }
  };

  test("prerelease versions and ranges, 20-character tool ids, dotted migration ids and hyphenated extensions are accepted", () => {
    expect(paths({ version: "1.2.0-beta.1" })).toEqual([]);
    expect(paths({ dependencies: { "@ydtb/core": "^1.0.0-rc.1", "@ydtb/a": ">=1.0.0 <2.0.0", "@my.org/db-x": "*" } })).toEqual([]);
    expect(paths({ tools: [{ id: "a".repeat(20), name: "A" }, { id: "my_tool-2", name: "B" }, { id: "9", name: "C" }] })).toEqual([]);
    expect(paths({ migrations: [{ id: "0001_add.tags-v2", up: () => {} }, { id: "A", up: () => {} }] })).toEqual([]);
    expect(paths({ extensions: ["uuid-ossp", "pg_trgm", "_x"] })).toEqual([]);
  });

  test("upper-case or leading-punctuation names are refused, each at its path", () => {
    expect(paths({ tools: [{ id: "Notes", name: "A" }, { id: "-notes", name: "B" }, { id: "", name: "C" }] })).toEqual(["tools[0].id", "tools[1].id", "tools[2].id", "tools[2].id"]);
    expect(paths({ packageName: "@YDTB/notes" })).toEqual(["packageName"]);
    expect(paths({ packageName: "@ydtb/notes/x" })).toEqual(["packageName"]);
    expect(paths({ migrations: [{ id: ".hidden", up: () => {} }, { id: "_x", up: () => {} }] })).toEqual(["migrations[0].id", "migrations[1].id"]);
    expect(paths({ extensions: ["1abc", "PgTrgm"] })).toEqual(["extensions[0]", "extensions[1]"]);
    expect(paths({ version: "latest" })).toEqual(["version"]);
  });
});

describe("manifestChanges and conflicts", () => {
  test("a foreign key whose ON DELETE changes alters its table", () => {
    const parent = pgTable("ydtb_demo_parent", { id: text("id").primaryKey() });
    const child = (onDelete: "cascade" | "no action") =>
      pgTable("ydtb_demo_child", { id: text("id").primaryKey(), parentId: text("parent_id") }, (t) => [foreignKey({ columns: [t.parentId], foreignColumns: [parent.id] }).onDelete(onDelete)]);
    const changes = manifestChanges(manifest({ schema: { parent, child: child("no action") } }), manifest({ schema: { parent, child: child("cascade") } }));
    expect(changes.tablesAltered).toEqual(["ydtb_demo_child"]);
  });

  test("TableConflictError has its code and names the table, the owner and the claimant in its message", () => {
    const error = new TableConflictError("ydtb_x_t", "@ydtb/a", "@ydtb/b");
    expect([error.code, error.name, error.message]).toEqual([
      "TABLE_CONFLICT",
      "TableConflictError",
      'Table "ydtb_x_t" is claimed by both "@ydtb/a" (registered) and "@ydtb/b". Rename the table of "@ydtb/b" to its own prefix, e.g. "ydtb_<package>_<name>".',
    ]);
  });

  test("input that is no object is named in the message", () => {
    const first = (value: unknown) => manifestError(() => defineDatabase(value as never)).issues[0]?.message.split(";")[0];
    expect([first(null), first([]), first("x"), first(7)]).toEqual(["the manifest is null", "the manifest is an array", "the manifest is a string", "the manifest is a number"]);
  });
});

describe("globalTables may name a materialized view", () => {
  test("in public by its name, in a pgSchema qualified; an unqualified name of a schema's view is no table here", () => {
    const other = pgSchema("ydtb_demo_stats");
    const schema = {
      items: pgTable("ydtb_demo_items", { id: text("id").primaryKey() }),
      totals: pgMaterializedView("ydtb_demo_totals", { n: text("n") }).as(sql`SELECT 1 AS n`),
      counts: other.materializedView("ydtb_demo_counts", { n: text("n") }).as(sql`SELECT 1 AS n`),
      other,
    };
    const m = defineDatabase(input({ schema, globalTables: { ydtb_demo_totals: "every workspace's totals", "ydtb_demo_stats.ydtb_demo_counts": "counts" } }));
    expect([isGlobalTable(m, "ydtb_demo_totals"), isGlobalTable(m, "ydtb_demo_stats.ydtb_demo_counts")]).toEqual([true, true]);
    const error = manifestError(() => defineDatabase(input({ schema, globalTables: { ydtb_demo_counts: "counts" } })));
    expect(error.issues.map((i) => [i.path, i.message.split(";")[0]])).toEqual([["globalTables.ydtb_demo_counts", 'no table "ydtb_demo_counts" in this schema']]);
  });
});

describe("more of defineDatabase's words and copies", () => {
  const issues = (overrides: Record<string, unknown>) => manifestError(() => defineDatabase(input(overrides))).issues.map((i) => [i.path, i.message]);

  test("missing migrations, a null migration beside repeated ids, an unknown described table with the tables there are, an exemption without a table", () => {
    expect(issues({ migrations: undefined })).toEqual([["migrations", 'is missing; write a drizzle-kit folder path (e.g. "./drizzle"), a file: URL, or an array of { id, up, down? }']]);
    const up = () => {};
    expect(issues({ migrations: [null, { id: "a", up }, { id: "a", up }] }).map(([path, message]) => [path, message?.split(";")[0]])).toEqual([
      ["migrations[0]", "is null, but must be an object"],
      ["migrations[2].id", '"a" repeats migrations[1].id'],
    ]);
    expect(issues({ descriptions: { ydtb_nope: { description: "x" } } })).toEqual([
      ["descriptions.ydtb_nope", 'no table "ydtb_nope" in this schema; use a table\'s SQL name (tables: "ydtb_demo_items", "ydtb_demo_tags")'],
    ]);
    expect(issues({ exemptions: [{ rule: "naming", table: "", reason: "r" }] })).toEqual([["exemptions[0].table", "an exemption names its table (SQL name)"]]);
  });

  test("TypeScript migrations are copied and frozen, each of them too", () => {
    const given = [{ id: "0001_a", up: () => {} }];
    const m = defineDatabase(input({ migrations: given }));
    expect(m.migrations).not.toBe(given);
    expect(m.migrations).toEqual(given);
    expect([Object.isFrozen(m.migrations), Object.isFrozen((m.migrations as readonly object[])[0]), Object.isFrozen(given[0])]).toEqual([true, true, false]);
  });
});

describe("discoverDatabasesOrThrow", () => {
  const tmpRoot = resolve(import.meta.dir, "../../../.tmp");
  mkdirSync(tmpRoot, { recursive: true });
  const root = mkdtempSync(join(tmpRoot, "discover-ok-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const put = (path: string, text: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const source = (name: string, short: string) => `
import { pgTable, text } from "drizzle-orm/pg-core";
import { defineDatabase } from ${JSON.stringify(resolve(import.meta.dir, "../src/index.ts"))};
export default defineDatabase({ packageName: ${JSON.stringify(name)}, version: "1.0.0", schema: { t: pgTable("ydtb_${short}_t", { id: text("id").primaryKey() }) }, migrations: "./drizzle" });
`;

  test("returns every manifest, sorted and bound to its folder, when none fails", async () => {
    put("package.json", JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"] }));
    put("packages/zed/package.json", JSON.stringify({ name: "@ydtb/a-zed" }));
    put("packages/zed/src/database.ts", source("@ydtb/a-zed", "zed"));
    put("packages/alpha/package.json", JSON.stringify({ name: "@ydtb/b-alpha" }));
    put("packages/alpha/src/database.ts", source("@ydtb/b-alpha", "alpha"));
    const manifests = await discoverDatabasesOrThrow(root);
    expect(manifests.map((m) => [m.packageName, m.packageDir, m.source])).toEqual([
      ["@ydtb/a-zed", join(root, "packages/zed"), join(root, "packages/zed/src/database.ts")],
      ["@ydtb/b-alpha", join(root, "packages/alpha"), join(root, "packages/alpha/src/database.ts")],
    ]);
  });
});
