import { afterAll, expect, test } from "bun:test";
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "@ydtb/db-client";
import { DEFAULT_HISTORY_TABLE, DEFAULT_VERSIONS_TABLE } from "@ydtb/db-migrate/boot-stamp";
import { dropEverything, HISTORY_TABLE, VERSIONS_TABLE } from "@ydtb/db-migrate";
import { discoverDatabases } from "@ydtb/db-registry";
import { describeDatabases } from "@ydtb/test-db";
import { initDatabase, type InitOptions } from "../src/index.ts";
import { addPackage, copyWorkspace, removeWorkspace } from "./helpers.ts";

const copies: string[] = [];
afterAll(() => copies.forEach(removeWorkspace));

/** A workspace copy (core and basic, each with its fingerprint) booted until the stamp answers. */
async function stamped(db: Database): Promise<string> {
  const root = copyWorkspace({ packages: ["db-core", "basic"] });
  copies.push(root);
  const first = await initDatabase({ db, rootDir: root });
  expect(first.report.applied).toBe(6);
  const second = await initDatabase({ db, rootDir: root });
  expect({ stamp: second.report.bootStamp, queries: second.report.queryCount, applied: second.report.applied }).toEqual({ stamp: true, queries: 1, applied: 0 });
  expect(second.report.packages).toEqual(first.report.packages);
  expect(second.migration.versions).toEqual(first.migration.versions);
  return root;
}

const boot = (db: Database, root: string, options: Partial<InitOptions> = {}) => initDatabase({ db, rootDir: root, ...options });
const basic = (root: string, ...path: string[]) => join(root, "packages", "basic", ...path);

/** Adds `0003_extra` to basic's folder and journal, as drizzle-kit would (the fingerprint is left as it was). */
function addMigration(root: string): void {
  writeFileSync(basic(root, "drizzle", "0003_extra.sql"), `ALTER TABLE "ydtb_basic_notes" ADD COLUMN "extra" text;`);
  const journalFile = basic(root, "drizzle", "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[] };
  journal.entries.push({ idx: journal.entries.length, version: "7", when: 1_800_000_000_000, tag: "0003_extra", breakpoints: true });
  writeFileSync(journalFile, JSON.stringify(journal, null, 2));
}

describeDatabases("the boot stamp", (target) => {
  test("the stamp's default table names are the engine's", () => {
    expect([DEFAULT_HISTORY_TABLE, DEFAULT_VERSIONS_TABLE]).toEqual([HISTORY_TABLE, VERSIONS_TABLE]);
  });

  test("a new migration file defeats it: the full path applies the migration", async () => {
    const db = await target.fresh();
    const root = await stamped(db);
    addMigration(root);
    const next = await boot(db, root);
    expect({ stamp: next.report.bootStamp, applied: next.report.steps.map((s) => `${s.id} ${s.status}`) }).toEqual({ stamp: undefined, applied: ["0003_extra applied"] });
  });

  test("an edited fingerprint defeats it (and the full path writes a new one)", async () => {
    const db = await target.fresh();
    const root = await stamped(db);
    appendFileSync(basic(root, "drizzle", "meta", "_ydtb_fingerprint.json"), "\n");
    const next = await boot(db, root);
    expect({ stamp: next.report.bootStamp, applied: next.report.applied }).toEqual({ stamp: undefined, applied: 0 });
    expect((await boot(db, root)).report.bootStamp).toBe(true);
  });

  test("a version bump defeats it: the database records the new version", async () => {
    const db = await target.fresh();
    const root = await stamped(db);
    const file = basic(root, "package.json");
    writeFileSync(file, readFileSync(file, "utf8").replace(/"version": "[^"]+"/, `"version": "1.9.0"`));
    // This process imported basic's manifest before the edit (Bun never reloads a module): the
    // stamp is defeated, and none is written for a manifest that disagrees with its package.json.
    const cached = await boot(db, root);
    expect({ stamp: cached.report.bootStamp, version: cached.report.packages.find((p) => p.name === "@ydtb/basic")?.version }).toEqual({ stamp: undefined, version: "1.1.0" });
    expect((await boot(db, root)).report.bootStamp).toBeUndefined();
    const manifests = (await discoverDatabases(root, { fresh: true })).manifests;
    const next = await initDatabase({ db, manifests });
    const [row] = await db.query<{ code_version: string }>(`SELECT code_version FROM ydtb_schema_versions WHERE package = '@ydtb/basic'`);
    expect({ stamp: next.report.bootStamp, recorded: row?.code_version }).toEqual({ stamp: undefined, recorded: "1.9.0" });
    expect((await initDatabase({ db, manifests })).report.bootStamp).toBe(true);
  });

  test("a dependency change defeats it: the full path checks the new range", async () => {
    const db = await target.fresh();
    const root = await stamped(db);
    const file = basic(root, "src", "database.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace(`"@ydtb/core": "^1.0.0"`, `"@ydtb/core": ">=1.0.0 <3"`));
    const next = await boot(db, root);
    expect({ stamp: next.report.bootStamp, ok: next.report.ok }).toEqual({ stamp: undefined, ok: true });
  });

  test("a package added or removed defeats it", async () => {
    const db = await target.fresh();
    const root = await stamped(db);
    addPackage(root, "extra");
    const added = await boot(db, root);
    expect({ stamp: added.report.bootStamp, applied: added.report.steps.map((s) => `${s.package} ${s.id}`) }).toEqual({
      stamp: undefined,
      applied: ["@ydtb/extra 0000_init", "@ydtb/extra 0001_workspace_rls"],
    });
    rmSync(join(root, "packages", "extra"), { recursive: true });
    const removed = await boot(db, root);
    expect({ stamp: removed.report.bootStamp, packages: removed.report.packages.map((p) => p.name) }).toEqual({ stamp: undefined, packages: ["@ydtb/basic", "@ydtb/core"] });
  });

  test("the database changed by another command (a rollback) defeats it: the full path re-applies", async () => {
    const db = await target.fresh();
    const root = await stamped(db);
    const rollback = await boot(db, root, { migrate: { target: { kind: "steps", steps: 1, package: "@ydtb/basic" } } });
    expect(rollback.report.steps.map((s) => `${s.id} ${s.direction}`)).toEqual(["0002_workspace_rls down"]);
    const next = await boot(db, root);
    expect({ stamp: next.report.bootStamp, applied: next.report.steps.map((s) => `${s.id} ${s.direction}`) }).toEqual({ stamp: undefined, applied: ["0002_workspace_rls up"] });
  });

  test("reset drops the stamp with the bookkeeping tables; the next boot migrates in full", async () => {
    const db = await target.fresh();
    const root = await stamped(db);
    await dropEverything(db, (await discoverDatabases(root)).manifests);
    expect(await db.query(`SELECT to_regclass('ydtb_schema_history_boot_stamp')::text AS t`)).toEqual([{ t: null }]);
    const next = await boot(db, root);
    expect({ stamp: next.report.bootStamp, applied: next.report.applied }).toEqual({ stamp: undefined, applied: 6 });
  });

  test("a boot told to sync tools does not use a stamp written without syncing them", async () => {
    const db = await target.fresh();
    const root = copyWorkspace({ packages: ["db-core", "basic"] });
    copies.push(root);
    await boot(db, root, { syncTools: false });
    expect((await boot(db, root, { syncTools: false })).report.bootStamp).toBe(true);
    const synced = await boot(db, root);
    expect({ stamp: synced.report.bootStamp, tools: synced.report.tools }).toEqual({ stamp: undefined, tools: { inserted: 1, updated: 0, deactivated: 0 } });
    expect((await boot(db, root)).report.bootStamp).toBe(true);
  });

  test("development mode neither uses nor writes it", async () => {
    const db = await target.fresh();
    const root = await stamped(db);
    const dev = await boot(db, root, { mode: "development" });
    expect({ stamp: dev.report.bootStamp, applied: dev.report.applied }).toEqual({ stamp: undefined, applied: 0 });
  });
});
