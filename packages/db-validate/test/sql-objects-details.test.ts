import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSqlParser } from "@ydtb/db-migrate";
import { bindManifest, CORE_PACKAGE, defineDatabase, type DatabaseManifest } from "@ydtb/db-registry";
import { objectsOfSql, prepareSqlObjects, validateManifests } from "../src/index.ts";

// What sql-objects reads from SQL (pure, PostgreSQL's parser) and what it says about it.

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function sqlPackage(packageName: string, files: Readonly<Record<string, string>>): DatabaseManifest {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-sql-details-"));
  made.push(dir);
  mkdirSync(join(dir, "drizzle", "meta"), { recursive: true });
  const tags = Object.keys(files);
  for (const tag of tags) writeFileSync(join(dir, "drizzle", `${tag}.sql`), files[tag] ?? "");
  writeFileSync(join(dir, "drizzle", "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries: tags.map((tag, idx) => ({ idx, version: "7", when: idx, tag, breakpoints: true })) }));
  return bindManifest(defineDatabase({ packageName, version: "1.0.0", migrations: "./drizzle", dependencies: packageName === CORE_PACKAGE ? {} : { "@ydtb/core": "*" } }), { packageDir: dir });
}

const messages = async (manifests: readonly DatabaseManifest[]) => {
  await prepareSqlObjects(manifests);
  return validateManifests(manifests, { rules: ["sql-objects"], graph: false }).packages.flatMap((p) => p.diagnostics.map((d) => [p.package, d.message]));
};

describe("objectsOfSql", () => {
  test("functions, procedures, aggregates and roles, with schema, OR REPLACE and the line of the first token (bytes counted as bytes)", async () => {
    const parser = await loadSqlParser();
    const text = [
      "-- café ☕ before anything",
      "",
      "-- a comment line",
      "CREATE FUNCTION app.f1(a int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;",
      "CREATE OR REPLACE PROCEDURE p1() LANGUAGE sql AS $$ SELECT 1 $$; CREATE AGGREGATE agg1 (int) (sfunc = int4pl, stype = int);",
      "CREATE OR REPLACE AGGREGATE s.agg2 (int) (sfunc = int4pl, stype = int);",
      "CREATE TABLE x (id int);",
      "CREATE ROLE r1;",
    ].join("\n");
    expect(objectsOfSql(parser, text, "drizzle/0001.sql")).toEqual([
      { kind: "function", schema: "app", name: "f1", file: "drizzle/0001.sql", line: 4, replace: false },
      { kind: "procedure", schema: "public", name: "p1", file: "drizzle/0001.sql", line: 5, replace: true },
      { kind: "aggregate", schema: "public", name: "agg1", file: "drizzle/0001.sql", line: 5, replace: false },
      { kind: "aggregate", schema: "s", name: "agg2", file: "drizzle/0001.sql", line: 6, replace: true },
      { kind: "role", schema: "", name: "r1", file: "drizzle/0001.sql", line: 8, replace: false },
    ]);
    expect(objectsOfSql(parser, "CREATE FUNCTION (", "bad.sql")).toEqual([]);
  });
});

describe("sql-objects messages", () => {
  test("a schema-qualified function is named with its schema; a function created twice is reported once", async () => {
    const fn = "CREATE FUNCTION app.touch() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;";
    const notes = sqlPackage("@ydtb/notes", { "0000_a": fn, "0001_b": fn.replace("CREATE", "CREATE OR REPLACE") });
    expect(await messages([notes])).toEqual([
      ["@ydtb/notes", 'drizzle/0000_a.sql:1: the function "app.touch" of "@ydtb/notes" is in a namespace every package shares; name it "ydtb_notes_touch" (and every call of it: triggers, defaults, policies).'],
    ]);
  });

  test("a package may create the role named by its prefix; core may not create a role outside its prefix", async () => {
    expect(await messages([sqlPackage("@ydtb/notes", { "0000_a": "CREATE ROLE ydtb_notes;" })])).toEqual([]);
    const core = await messages([sqlPackage(CORE_PACKAGE, { "0000_a": "CREATE ROLE ydtb;\nCREATE ROLE ydtb_reader;" })]);
    expect(core.map(([, m]) => m?.split(";")[0])).toEqual(['drizzle/0000_a.sql:1: the migration of "@ydtb/core" creates the role "ydtb"']);
  });

  test("a function created twice by one package and once by another is one clash in each", async () => {
    const fn = (v: number) => `CREATE OR REPLACE FUNCTION ydtb_a_f() RETURNS int LANGUAGE sql AS $$ SELECT ${v} $$;`;
    const a = sqlPackage("@ydtb/a", { "0000_a": fn(1), "0001_a": fn(2) });
    const b = sqlPackage("@ydtb/b", { "0000_b": fn(3) });
    const clashes = (await messages([a, b])).filter(([, m]) => m?.includes("creates too"));
    expect(clashes.map(([p, m]) => [p, m?.split(":")[0]])).toEqual([
      ["@ydtb/a", "drizzle/0000_a.sql"],
      ["@ydtb/b", "drizzle/0000_b.sql"],
    ]);
  });

  test("the same name in two schemas, or a routine and a role of one name, do not clash", async () => {
    const a = sqlPackage("@ydtb/a", { "0000_a": "CREATE FUNCTION app.ydtb_a_f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE ROLE ydtb_a_g;" });
    const b = sqlPackage("@ydtb/b", { "0000_b": "CREATE FUNCTION ydtb_a_f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;\nCREATE FUNCTION ydtb_a_g() RETURNS int LANGUAGE sql AS $$ SELECT 3 $$;" });
    expect((await messages([a, b])).filter(([, m]) => m?.includes("creates too"))).toEqual([]);
  });

  test("a plain CREATE clashing fails (42723) without the OR REPLACE warning; a role clash is once per cluster", async () => {
    const a = sqlPackage("@ydtb/a", { "0000_a": "CREATE FUNCTION ydtb_a_f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE ROLE ydtb_a_reader;" });
    const b = sqlPackage("@ydtb/b", { "0000_b": "CREATE FUNCTION ydtb_a_f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;\nCREATE ROLE ydtb_a_reader;" });
    const clashes = (await messages([a, b])).filter(([, m]) => m?.includes("creates too"));
    expect(clashes.map(([p, m]) => [p, m?.split(": rename")[0]])).toEqual([
      ["@ydtb/a", 'drizzle/0000_a.sql:1: "@ydtb/a" creates the function "ydtb_a_f", which "@ydtb/b" creates too (drizzle/0000_b.sql:1); PostgreSQL keeps one per name and argument types in schema "public", so the second CREATE fails (42723)'],
      ["@ydtb/a", 'drizzle/0000_a.sql:2: "@ydtb/a" creates the role "ydtb_a_reader", which "@ydtb/b" creates too (drizzle/0000_b.sql:2); a role exists once per cluster'],
      ["@ydtb/b", 'drizzle/0000_b.sql:1: "@ydtb/b" creates the function "ydtb_a_f", which "@ydtb/a" creates too (drizzle/0000_a.sql:1); PostgreSQL keeps one per name and argument types in schema "public", so the second CREATE fails (42723)'],
      ["@ydtb/b", 'drizzle/0000_b.sql:2: "@ydtb/b" creates the role "ydtb_a_reader", which "@ydtb/a" creates too (drizzle/0000_a.sql:2); a role exists once per cluster'],
    ]);
  });
});
