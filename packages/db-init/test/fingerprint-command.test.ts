import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../src/index.ts";
import { captureIO, copyWorkspace, removeWorkspace } from "./helpers.ts";

const root = copyWorkspace({ packages: ["db-core", "basic"] });
const released = copyWorkspace({ packages: ["db-core", "basic"] });
afterAll(() => {
  removeWorkspace(root);
  removeWorkspace(released);
});
const fingerprintFile = join(root, "packages/basic/drizzle/meta/_ydtb_fingerprint.json");

interface Fingerprints {
  ok: boolean;
  fingerprints: { package: string; status: string; changed: string[]; file?: string }[];
}

async function run(...args: string[]) {
  return runIn(root, ...args);
}

async function runIn(workspace: string, ...args: string[]) {
  const c = captureIO();
  const code = await runCli([...args, "--root", workspace], c.io);
  return { code, c };
}

/** A new migration as drizzle-kit writes it (file + journal entry), then its fingerprint as db:generate writes it. */
async function generateMigration(workspace: string, tag: string): Promise<void> {
  const folder = join(workspace, "packages/basic/drizzle");
  writeFileSync(join(folder, `${tag}.sql`), "CREATE INDEX IF NOT EXISTS ydtb_basic_extra_idx ON ydtb_basic_notes (workspace_id);");
  const journalFile = join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number; tag: string; when: number; version: string; breakpoints: boolean }[] };
  journal.entries.push({ idx: journal.entries.length, version: "7", when: Date.now(), tag, breakpoints: true });
  writeFileSync(journalFile, JSON.stringify(journal, null, 2));
  expect((await runIn(workspace, "fingerprint", "--package", "@ydtb/basic")).code).toBe(0);
}

describe("ydtb-db fingerprint and validate", () => {
  test("the shipped folders carry current fingerprints; an edited migration makes validate fail until it is rewritten", async () => {
    const clean = await run("validate", "--json", "--package", "@ydtb/basic");
    expect(clean.code).toBe(0);
    expect(clean.c.json<Fingerprints>().fingerprints).toEqual([{ package: "@ydtb/basic", status: "current", changed: [], file: fingerprintFile }]);

    appendFileSync(join(root, "packages/basic/drizzle/0001_pinned.sql"), "\nSELECT 1;");
    const stale = await run("validate", "--json", "--package", "@ydtb/basic");
    expect(stale.code).toBe(1);
    expect(stale.c.json<Fingerprints>()).toMatchObject({ ok: false, fingerprints: [{ package: "@ydtb/basic", status: "stale", changed: ["0001_pinned"] }] });

    const written = await run("fingerprint", "--json", "--package", "@ydtb/basic");
    expect([written.code, written.c.json<unknown>()]).toEqual([0, { ok: true, command: "fingerprint", fingerprints: [{ package: "@ydtb/basic", file: fingerprintFile }] }]);
    const again = await run("validate", "--json", "--package", "@ydtb/basic");
    expect([again.code, again.c.json<Fingerprints>().fingerprints[0]!.status]).toEqual([0, "current"]);
  });

  test("a missing fingerprint is a note, not a failure; fingerprint writes it", async () => {
    rmSync(fingerprintFile);
    const missing = await run("validate", "--json", "--package", "@ydtb/basic");
    expect([missing.code, missing.c.json<Fingerprints>().fingerprints[0]!.status]).toEqual([0, "missing"]);
    await run("fingerprint", "--package", "@ydtb/basic");
    expect(existsSync(fingerprintFile)).toBe(true);
  });

  test("attribute rewrites the fingerprint of the packages whose versions file it changed", async () => {
    // The version bump first: the manifests are imported once per process.
    const pkgFile = join(released, "packages/basic/package.json");
    writeFileSync(pkgFile, readFileSync(pkgFile, "utf8").replace(/"version": "[^"]+"/, '"version": "1.2.0"'));
    await generateMigration(released, "0003_extra");
    const attributed = await runIn(released, "attribute", "--json");
    // 0002_workspace_rls is not released yet either: 1.2.0 takes it with the new one.
    expect(attributed.c.json<{ results: { package: string; attributed: string[] }[] }>().results.find((r) => r.package === "@ydtb/basic")?.attributed).toEqual(["0002_workspace_rls", "0003_extra"]);
    const checked = await runIn(released, "validate", "--json", "--package", "@ydtb/basic");
    expect([checked.code, checked.c.json<Fingerprints>().fingerprints[0]!.status]).toEqual([0, "current"]);
  });
});
