// `ydtb-db check` reports row-level-security drift a migration leaves behind (the scratch
// database is PGlite; @ydtb/db-access's rlsDrift itself is tested on PGlite and the server).
import { afterAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../src/run-cli.ts";
import { addPackage, captureIO, copyWorkspace, removeWorkspace } from "./helpers.ts";

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
