// Row-level-security drift: `ydtb-db check` reports what a migration leaves behind (on its
// scratch PGlite), `ydtb-db status` what was changed by hand on a live database.
import { afterAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrate } from "@ydtb/db-migrate";
import { describeDatabases } from "@ydtb/test-db";
import { databaseStatus } from "../src/database-status.ts";
import { runCli } from "../src/run-cli.ts";
import { addPackage, captureIO, copyWorkspace, removeWorkspace, workspaceManifests } from "./helpers.ts";

const ws = copyWorkspace({ packages: ["db-core"] });
afterAll(() => removeWorkspace(ws));

interface CheckJson {
  readonly ok: boolean;
  readonly packages: readonly { readonly package: string; readonly ok: boolean; readonly catalog?: readonly string[] }[];
}

async function check(): Promise<{ code: number; json: CheckJson }> {
  const c = captureIO();
  const code = await runCli(["check", "--package", "@ydtb/rlsx", "--json", "--root", ws], c.io);
  return { code, json: c.json<CheckJson>() };
}

test("check: clean policies pass; a later migration that stops forcing RLS fails, naming the table", async () => {
  addPackage(ws, "rlsx");
  const clean = await check();
  expect(clean.code).toBe(0);
  expect(clean.json.packages[0]?.catalog).toEqual([]);

  const drizzle = join(ws, "packages", "rlsx", "drizzle");
  writeFileSync(join(drizzle, "0002_unforce.sql"), `ALTER TABLE "ydtb_rlsx_items" NO FORCE ROW LEVEL SECURITY;`);
  writeFileSync(join(drizzle, "0002_unforce.down.sql"), `ALTER TABLE "ydtb_rlsx_items" FORCE ROW LEVEL SECURITY;`);
  const journalFile = join(drizzle, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: unknown[] };
  journal.entries.push({ idx: 2, version: "7", when: 1_700_000_000_002, tag: "0002_unforce", breakpoints: true });
  writeFileSync(journalFile, JSON.stringify(journal, null, 2));
  const drifted = await check();
  expect(drifted.code).toBe(1);
  expect(drifted.json.packages[0]?.ok).toBe(false);
  expect(drifted.json.packages[0]?.catalog?.length).toBe(1);
  expect(drifted.json.packages[0]?.catalog?.[0]).toContain('"ydtb_rlsx_items"');
});

describeDatabases("status: row-level security changed by hand on a live database", (target) => {
  test("none after the migrations; a dropped policy and RLS turned off are reported on their packages", async () => {
    const db = await target.fresh();
    const manifests = await workspaceManifests();
    await migrate(db, manifests);
    const drift = async () => Object.fromEntries((await databaseStatus(db, manifests)).packages.map((p) => [p.package, p.rlsDrift.map((d) => `${d.table} ${d.problem}`)]));
    expect(await drift()).toEqual({ "@ydtb/core": [], "@ydtb/basic": [] });
    await db.exec(`DROP POLICY ydtb_workspace_isolation ON ydtb_basic_notes; ALTER TABLE ydtb_workspace_tools DISABLE ROW LEVEL SECURITY;`);
    expect(await drift()).toEqual({ "@ydtb/core": ["ydtb_workspace_tools rls-disabled"], "@ydtb/basic": ["ydtb_basic_notes policy-missing"] });
  });
});
