import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { bindManifest } from "@ydtb/db-registry";
import { createTestDatabase } from "@ydtb/test-db";
import { checkPackage, type CheckOptions } from "../src/index.ts";
import { basicManifest, coreManifest, removeTempDirs, tempDir } from "./fixtures/fixture-packages.ts";

afterAll(removeTempDirs);

/** checkPackage on an empty PGlite from @ydtb/test-db (its own default, a new in-memory PGlite, runs initdb; `ydtb-db check` in db-init's tests takes that path). */
async function check(manifest: DatabaseManifest, all: readonly DatabaseManifest[], options: CheckOptions = {}) {
  const database = await createTestDatabase("pglite");
  try {
    return await checkPackage(manifest, all, { ...options, database });
  } finally {
    await database.dispose();
  }
}

describe("checkPackage (scratch PGlite)", () => {
  test("@ydtb/basic: up → down → up gives the same schema for each migration, and no drift", async () => {
    const result = await check(basicManifest, [coreManifest, basicManifest]);
    expect(result.upDownUp).toEqual([
      { id: "0000_notes", ok: true },
      { id: "0001_pinned", ok: true },
      { id: "0002_workspace_rls", ok: true },
    ]);
    expect(result.drift).toEqual({ ok: true, sql: [] });
    expect(result.ok).toBe(true);
  }, 30_000);

  test("afterMigrations sees the package migrated, and its findings fail the check", async () => {
    const seen: string[] = [];
    const result = await check(basicManifest, [coreManifest, basicManifest], {
      afterMigrations: async (db, manifest) => {
        const [row] = await db.query<{ forced: boolean }>(`SELECT relforcerowsecurity AS forced FROM pg_class WHERE relname = 'ydtb_basic_notes'`);
        seen.push(`${manifest.packageName} ${row?.forced}`);
        return ["a finding"];
      },
    });
    expect(seen).toEqual(["@ydtb/basic true"]);
    expect(result.catalog).toEqual(["a finding"]);
    expect(result.ok).toBe(false);
  }, 30_000);

  test("a down that leaves a table behind, and a schema ahead of the migrations, are both reported", async () => {
    // A copy of basic's folder without 0001_pinned (and the policies after it), whose 0000 down leaves a table behind.
    const dir = tempDir();
    cpSync(join(basicManifest.packageDir!, "drizzle"), join(dir, "drizzle"), { recursive: true });
    const journalFile = join(dir, "drizzle/meta/_journal.json");
    const journal = JSON.parse(readFileSync(journalFile, "utf8"));
    journal.entries = journal.entries.slice(0, 1);
    writeFileSync(journalFile, JSON.stringify(journal));
    for (const f of ["0001_pinned.sql", "0001_pinned.down.sql", "0002_workspace_rls.sql", "0002_workspace_rls.down.sql"]) rmSync(join(dir, "drizzle", f), { force: true });
    writeFileSync(join(dir, "drizzle/0000_notes.down.sql"), 'DROP TABLE IF EXISTS "ydtb_basic_note_tags";\n--> statement-breakpoint\nDROP TABLE IF EXISTS "ydtb_basic_notes";');
    const broken = bindManifest(basicManifest, { packageDir: dir });

    const result = await check(broken, [coreManifest, broken]);
    expect(result.ok).toBe(false);
    const [step] = result.upDownUp;
    expect(step!.ok).toBe(false);
    expect(step!.diff!.some((l) => l.includes("after down") && l.includes("+ table ydtb_basic_tags"))).toBe(true);
    // The up run again fails on the table left behind: that failure ends the step's findings.
    expect(step!.diff!.at(-1)).toStartWith('up failed: ');
    expect(step!.diff!.at(-1)).toContain('"ydtb_basic_tags" already exists');
    expect("sql" in result.drift && result.drift.ok).toBe(false);
    const sql = "sql" in result.drift ? result.drift.sql.join("\n") : "";
    expect(sql).toContain('ADD COLUMN "pinned"');
  }, 30_000);
});
