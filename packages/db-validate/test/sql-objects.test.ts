import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bindManifest, defineDatabase, type DatabaseManifest } from "@ydtb/db-registry";
import { migrate } from "@ydtb/db-migrate";
import { describeDatabases } from "@ydtb/test-db";
import { prepareSqlObjects, validateManifests } from "../src/index.ts";
import { coreDatabase } from "./builders.ts";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A package of SQL migrations only, in a drizzle-kit folder of a temporary package directory. */
function sqlPackage(packageName: string, files: Readonly<Record<string, string>>): DatabaseManifest {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-sql-objects-"));
  made.push(dir);
  mkdirSync(join(dir, "drizzle", "meta"), { recursive: true });
  const tags = Object.keys(files);
  for (const tag of tags) writeFileSync(join(dir, "drizzle", `${tag}.sql`), files[tag] ?? "");
  writeFileSync(join(dir, "drizzle", "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries: tags.map((tag, idx) => ({ idx, version: "7", when: idx, tag, breakpoints: true })) }));
  const manifest = defineDatabase({ packageName, version: "1.0.0", migrations: "./drizzle", dependencies: { "@ydtb/core": "*" } });
  return bindManifest(manifest, { packageDir: dir });
}

const fn = (name: string, body = "SELECT 1") => `CREATE OR REPLACE FUNCTION ${name}() RETURNS int LANGUAGE sql AS $$ ${body} $$;`;
const sqlHits = async (manifests: readonly DatabaseManifest[]) => {
  await prepareSqlObjects(manifests);
  return validateManifests(manifests, { rules: ["sql-objects"], graph: false }).packages.flatMap((p) => p.diagnostics.map((d) => ({ package: p.package, message: d.message })));
};

describe("sql-objects: functions and roles of SQL migrations", () => {
  test("an unprefixed function, procedure and role are errors at file:line, with the prefixed name", async () => {
    const notes = sqlPackage("@ydtb/notes", {
      "0000_init": `-- the trigger function\n${fn("touch_updated_at")}\n--> statement-breakpoint\nCREATE PROCEDURE ydtb_notes_ok() LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE PROCEDURE purge() LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE ROLE reader;`,
    });
    const hits = await sqlHits([coreDatabase, notes]);
    expect(hits.map((h) => /^(drizzle\/\S+:\d+):/.exec(h.message)?.[1])).toEqual(["drizzle/0000_init.sql:2", "drizzle/0000_init.sql:5", "drizzle/0000_init.sql:6"]);
    expect(hits.map((h) => /"(ydtb_notes_\w+)"/.exec(h.message)?.[1])).toEqual(["ydtb_notes_touch_updated_at", "ydtb_notes_purge", "ydtb_notes_reader"]);
  });

  test("two packages creating one function name clash, in each package, naming the other's file", async () => {
    const a = sqlPackage("@ydtb/a", { "0000_a": fn("ydtb_a_touch") });
    const b = sqlPackage("@ydtb/b", { "0000_b": `SELECT 1;\n${fn("ydtb_a_touch", "SELECT 2")}` });
    const hits = await sqlHits([coreDatabase, a, b]);
    // b's: the prefix, then the clash; a's: the clash.
    expect(hits.map((h) => h.package)).toEqual(["@ydtb/a", "@ydtb/b", "@ydtb/b"]);
    expect(hits[0]?.message).toContain('"@ydtb/b" creates too (drizzle/0000_b.sql:2)');
    expect(hits[2]?.message).toContain("silently replaces");
  });

  test("prefixed names of one package each, and CREATE OR REPLACE of a package's own function in a later migration, are clean", async () => {
    const a = sqlPackage("@ydtb/a", { "0000_a": fn("ydtb_a_touch"), "0001_a": fn("ydtb_a_touch", "SELECT 3") });
    const b = sqlPackage("@ydtb/b", { "0000_b": `${fn("ydtb_b_touch")}\nCREATE ROLE ydtb_b;` });
    expect(await sqlHits([coreDatabase, a, b])).toEqual([]);
  });

  test("core's own migrations are clean", async () => {
    expect(await sqlHits([coreDatabase])).toEqual([]);
  });
});

describeDatabases("what sql-objects prevents", (target) => {
  test("the second package's CREATE OR REPLACE silently replaces the first package's function", async () => {
    const a = sqlPackage("@ydtb/a", { "0000_a": fn("ydtb_a_answer", "SELECT 1") });
    const b = sqlPackage("@ydtb/b", { "0000_b": fn("ydtb_a_answer", "SELECT 2") });
    const db = await target.fresh();
    const result = await migrate(db, [coreDatabase, a, b]);
    expect(result.failed).toBe(0);
    expect(await db.query<{ v: number }>("SELECT ydtb_a_answer() AS v")).toEqual([{ v: 2 }]);
    expect((await sqlHits([coreDatabase, a, b])).length).toBeGreaterThan(0);
  });
});
