import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { check, foreignKey, index, integer, pgSchema, pgTable, primaryKey, text, unique, varchar } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { DiscoveryError, ManifestError, manifestChanges, packageDirOf, tableName, workspaceTables } from "../src/index.ts";
import { input, manifest } from "./builders.ts";
import { defineDatabase } from "../src/index.ts";

const ws = () => ({ workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").notNull() });

describe("manifestChanges sees each kind of change", () => {
  const base = () => pgTable("ydtb_demo_items", { ...ws(), n: integer("n") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
  const variants: [string, () => unknown][] = [
    ["a column type", () => pgTable("ydtb_demo_items", { ...ws(), n: text("n") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })])],
    ["a column's NOT NULL", () => pgTable("ydtb_demo_items", { ...ws(), n: integer("n").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })])],
    ["an index", () => pgTable("ydtb_demo_items", { ...ws(), n: integer("n") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ydtb_demo_items_n_idx").on(t.workspaceId, t.n)])],
    ["a unique constraint", () => pgTable("ydtb_demo_items", { ...ws(), n: integer("n") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique().on(t.workspaceId, t.n)])],
    ["the primary key", () => pgTable("ydtb_demo_items", { ...ws(), n: integer("n") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id, t.n] })])],
    ["a check", () => pgTable("ydtb_demo_items", { ...ws(), n: integer("n") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), check("ydtb_demo_items_n_check", sql`${t.n} > 0`)])],
    ["a foreign key", () => pgTable("ydtb_demo_items", { ...ws(), n: integer("n") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), foreignKey({ columns: [t.workspaceId, t.id], foreignColumns: [t.workspaceId, t.id] })])],
  ];
  for (const [what, make] of variants) {
    test(what, () => {
      const before = manifest({ schema: { items: base() } });
      const after = manifest({ schema: { items: make() } });
      expect(manifestChanges(before, after)).toEqual({ tablesAdded: [], tablesRemoved: [], tablesAltered: ["ydtb_demo_items"], versionChanged: false });
    });
  }
  test("nothing, added, removed, version", () => {
    const before = manifest({ schema: { items: base() } });
    expect(manifestChanges(before, manifest({ schema: { items: base() } }))).toEqual({ tablesAdded: [], tablesRemoved: [], tablesAltered: [], versionChanged: false });
    const other = pgTable("ydtb_demo_other", { ...ws() });
    expect(manifestChanges(before, manifest({ version: "1.1.0", schema: { other } }))).toEqual({ tablesAdded: ["ydtb_demo_other"], tablesRemoved: ["ydtb_demo_items"], tablesAltered: [], versionChanged: true });
  });
});

describe("names and folders", () => {
  test("tableName is schema-qualified outside public", () => {
    const crm = pgSchema("ydtb_demo");
    expect(tableName(crm.table("ydtb_demo_items", { id: text("id") }))).toBe("ydtb_demo.ydtb_demo_items");
    expect(tableName(pgTable("ydtb_demo_items", { id: text("id") }))).toBe("ydtb_demo_items");
  });

  test("workspaceTables lists a table exported twice once", () => {
    const items = pgTable("ydtb_demo_items", { ...ws() });
    expect(workspaceTables(manifest({ schema: { items, again: items } }))).toEqual(["ydtb_demo_items"]);
  });

  test("packageDirOf finds the nearest package.json, from the file's own folder up", () => {
    const tmp = resolve(import.meta.dir, "../../../.tmp");
    mkdirSync(tmp, { recursive: true });
    const dir = mkdtempSync(join(tmp, "pkgdir-"));
    try {
      writeFileSync(join(dir, "package.json"), "{}");
      mkdirSync(join(dir, "src", "deep"), { recursive: true });
      writeFileSync(join(dir, "src", "package.json"), "{}");
      expect(packageDirOf(join(dir, "database.ts"))).toBe(dir);
      expect(packageDirOf(join(dir, "src", "database.ts"))).toBe(join(dir, "src"));
      expect(packageDirOf(join(dir, "src", "deep", "database.ts"))).toBe(join(dir, "src"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("extensions keep the order written", () => {
    expect(manifest({ extensions: ["vector", "pg_trgm", "citext"] }).extensions).toEqual(["vector", "pg_trgm", "citext"]);
  });
});

describe("errors keep what they need", () => {
  test("DiscoveryError keeps the first failure's cause", () => {
    const cause = new SyntaxError("x");
    const error = new DiscoveryError([{ packageName: "@ydtb/a", file: "/a.ts", message: "m", cause }, { packageName: "@ydtb/b", file: "/b.ts", message: "m", cause: undefined }]);
    expect(error.cause).toBe(cause);
    expect(error.failures.map((f) => f.packageName)).toEqual(["@ydtb/a", "@ydtb/b"]);
  });

  test("a migration's down or transaction of the wrong kind is named by its path", () => {
    for (const [migration, path] of [
      [{ id: "a", up: () => {}, down: "DROP TABLE x" }, "migrations[0].down"],
      [{ id: "a", up: () => {}, down: null }, "migrations[0].down"],
      [{ id: "a", up: () => {}, checksumSource: 3 }, "migrations[0].checksumSource"],
    ] as const) {
      let error: unknown;
      try {
        defineDatabase(input({ migrations: [migration] }));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ManifestError);
      expect((error as ManifestError).issues.map((i) => i.path)).toEqual([path]);
    }
  });
});
