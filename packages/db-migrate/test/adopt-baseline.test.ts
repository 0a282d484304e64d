import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "@ydtb/db-client";
import { describeDatabases } from "@ydtb/test-db";
import { migrate as drizzlePgliteMigrate } from "drizzle-orm/pglite/migrator";
import { migrate as drizzlePostgresMigrate } from "drizzle-orm/postgres-js/migrator";
import {
  ADOPTED_BY_PREFIX,
  APPLIED_TABLE,
  baselineFromDrizzle,
  baselineToVersion,
  HISTORY_TABLE,
  migrate,
  migrationStatus,
  resolveMigration,
  STATEMENT_BREAKPOINT,
  type BaselineMismatch,
} from "../src/index.ts";
import { basicManifest as repoBasic, coreManifest as repoCore, releasedCopy, removeTempDirs } from "./fixtures/fixture-packages.ts";

// The packages as released: a database drizzle-kit migrated holds released migrations only.
const coreManifest = releasedCopy(repoCore);
const basicManifest = releasedCopy(repoBasic);
afterAll(removeTempDirs);
const all = [coreManifest, basicManifest];
const folder = (pkg: "db-core" | "basic") => join((pkg === "db-core" ? coreManifest : basicManifest).packageDir!, "drizzle");

/** Runs drizzle's own migrator (the one drizzle-kit users run) on a folder. */
async function drizzleMigrate(db: Database, pkg: "db-core" | "basic", table?: { schema: string; table: string }) {
  const config = { migrationsFolder: folder(pkg), ...(table ? { migrationsSchema: table.schema, migrationsTable: table.table } : {}) };
  if (db.kind === "pglite") await drizzlePgliteMigrate(db.orm as never, config);
  else await drizzlePostgresMigrate(db.orm as never, config);
}

async function appliedRows(db: Database): Promise<string[]> {
  const [exists] = await db.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [APPLIED_TABLE]);
  if (!exists?.ok) return [];
  return (await db.query<{ k: string }>(`SELECT package || ' ' || migration_id AS k FROM ${APPLIED_TABLE} ORDER BY history_id`)).map((r) => r.k);
}

async function refusal(run: Promise<unknown>): Promise<{ code: string; mismatches: readonly BaselineMismatch[] }> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as { code: string; mismatches: readonly BaselineMismatch[] };
}

const basicTable = { schema: "drizzle", table: "basic_migrations" };

describeDatabases("baseline from drizzle-kit", (target) => {
  test("adopts what drizzle's migrate() applied (a table per package); migrate then runs nothing again", async () => {
    const db = await target.fresh();
    await drizzleMigrate(db, "db-core");
    await drizzleMigrate(db, "basic", basicTable);

    const result = await baselineFromDrizzle(db, all, { drizzleTables: [{ package: "@ydtb/basic", ...basicTable }] });
    expect(result.adopted.map((a) => `${a.package} ${a.id}`)).toEqual(["@ydtb/core 0000_core", "@ydtb/core 0001_tools_phase2", "@ydtb/basic 0000_notes", "@ydtb/basic 0001_pinned"]);
    expect(result.adopted[2]!.source).toBe("drizzle.basic_migrations row 1");

    const history = await db.query<{ applied_by: string; direction: string; execution_ms: number }>(`SELECT applied_by, direction, execution_ms FROM ${HISTORY_TABLE} ORDER BY id`);
    expect(history.length).toBe(4);
    expect(history.every((h) => h.applied_by.startsWith(`${ADOPTED_BY_PREFIX} (drizzle.`) && h.direction === "baseline" && Number(h.execution_ms) === 0)).toBe(true);
    expect((await migrationStatus(db, all)).map((p) => [p.package, p.pending.length, p.databaseVersion])).toEqual([
      ["@ydtb/core", 0, "1.0.0"],
      ["@ydtb/basic", 0, "1.1.0"],
    ]);
    const run = await migrate(db, all);
    expect(run.applied).toBe(0);

    const again = await baselineFromDrizzle(db, all, { drizzleTables: [{ package: "@ydtb/basic", ...basicTable }] });
    expect(again.adopted).toEqual([]);
    expect(again.alreadyApplied.length).toBe(4);
  });

  test("a shared default table where drizzle skipped a package: its rows are adopted, the rest is left to migrate", async () => {
    const db = await target.fresh();
    // core's newest `when` is later than basic's: drizzle's migrate() silently skips basic on a shared table.
    await drizzleMigrate(db, "db-core");
    await drizzleMigrate(db, "basic");
    const result = await baselineFromDrizzle(db, all);
    expect(result.adopted.map((a) => a.id)).toEqual(["0000_core", "0001_tools_phase2"]);
    const run = await migrate(db, all);
    expect(run.steps.filter((s) => s.status === "applied").map((s) => s.id)).toEqual(["0000_notes", "0001_pinned"]);
  });

  test("dry run records nothing", async () => {
    const db = await target.fresh();
    await drizzleMigrate(db, "db-core");
    const result = await baselineFromDrizzle(db, all, { dryRun: true });
    expect(result).toMatchObject({ dryRun: true });
    expect(result.adopted.length).toBe(2);
    expect(await appliedRows(db)).toEqual([]);
  });

  test("mismatches are listed and nothing is recorded", async () => {
    const db = await target.fresh();
    await drizzleMigrate(db, "db-core");
    // An applied file edited since (its hash is no longer any file's), and a journal `when` changed.
    await db.exec(`UPDATE drizzle.__drizzle_migrations SET hash = 'edited' WHERE id = 1`);
    await db.exec(`UPDATE drizzle.__drizzle_migrations SET created_at = created_at + 1 WHERE id = 2`);
    const error = await refusal(baselineFromDrizzle(db, all));
    expect(error.code).toBe("BASELINE_MISMATCH");
    expect(error.mismatches.map((m) => [m.kind, m.row ?? null, m.id ?? null])).toEqual([
      ["unknown-hash", 1, null],
      ["timestamp-differs", 2, "0001_tools_phase2"],
    ]);
    expect(await appliedRows(db)).toEqual([]);
  });

  test("a migration drizzle skipped before its newest row is a mismatch until resolved by hand", async () => {
    const db = await target.fresh();
    await drizzleMigrate(db, "db-core");
    await db.exec(`DELETE FROM drizzle.__drizzle_migrations WHERE id = 1`);
    const error = await refusal(baselineFromDrizzle(db, all));
    expect(error.mismatches.map((m) => [m.kind, m.package, m.id])).toEqual([["skipped-by-drizzle", "@ydtb/core", "0000_core"]]);
    expect(await appliedRows(db)).toEqual([]);
    await resolveMigration(db, all, { package: "@ydtb/core", id: "0000_core", as: "applied" });
    const result = await baselineFromDrizzle(db, all);
    expect(result.adopted.map((a) => a.id)).toEqual(["0001_tools_phase2"]);
    expect(await appliedRows(db)).toEqual(["@ydtb/core 0000_core", "@ydtb/core 0001_tools_phase2"]);
  });

  test("no drizzle history table: a coded error, nothing created", async () => {
    const db = await target.fresh();
    expect((await refusal(baselineFromDrizzle(db, all))).code).toBe("DRIZZLE_HISTORY_NOT_FOUND");
    expect((await refusal(baselineFromDrizzle(db, all, { drizzleTables: [{ package: "@ydtb/basic", ...basicTable }] }))).code).toBe("DRIZZLE_HISTORY_NOT_FOUND");
    expect((await refusal(baselineFromDrizzle(db, all, { drizzleTables: [{ package: "@ydtb/nope", ...basicTable }] }))).code).toBe("UNKNOWN_PACKAGE");
  });
});

/** Runs a migration file's SQL by hand, as someone building a database without a tool would. */
async function byHand(db: Database, pkg: "db-core" | "basic", id: string) {
  for (const statement of readFileSync(join(folder(pkg), `${id}.sql`), "utf8").split(STATEMENT_BREAKPOINT)) await db.exec(statement);
}

describeDatabases("baseline --to and resolve", (target) => {
  test("baseline --to adopts a database built by hand up to a version; migrate applies the rest", async () => {
    const db = await target.fresh();
    await byHand(db, "db-core", "0000_core");
    await byHand(db, "db-core", "0001_tools_phase2");
    await byHand(db, "basic", "0000_notes");
    expect((await baselineToVersion(db, all, { package: "@ydtb/core", version: "1.0.0" })).adopted.map((a) => a.id)).toEqual(["0000_core", "0001_tools_phase2"]);
    const basic = await baselineToVersion(db, all, { package: "@ydtb/basic", version: "1.0.0" });
    expect(basic.adopted.map((a) => `${a.id} ${a.source}`)).toEqual(["0000_notes baseline --to @ydtb/basic@1.0.0"]);
    const run = await migrate(db, all);
    expect(run.steps.filter((s) => s.status === "applied").map((s) => s.id)).toEqual(["0001_pinned"]);
  });

  test("baseline --to the whole package checks its tables exist", async () => {
    const db = await target.fresh();
    await byHand(db, "db-core", "0000_core");
    await byHand(db, "db-core", "0001_tools_phase2");
    const error = await refusal(baselineToVersion(db, all, { package: "@ydtb/basic", version: "1.1.0" }));
    expect(error.code).toBe("BASELINE_MISMATCH");
    expect(error.mismatches.map((m) => m.kind)).toEqual(basicManifest.tables.map(() => "missing-table"));
    expect(await appliedRows(db)).toEqual([]);
    expect((await refusal(baselineToVersion(db, all, { package: "@ydtb/nope", version: "1.0.0" }))).code).toBe("UNKNOWN_PACKAGE");
  });

  test("resolve marks one migration applied or rolled back, recorded; refuses what is already so", async () => {
    const db = await target.fresh();
    await migrate(db, all, { target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } });
    await byHand(db, "basic", "0001_pinned");
    const entry = await resolveMigration(db, all, { package: "@ydtb/basic", id: "0001_pinned", as: "applied" });
    expect(entry).toMatchObject({ package: "@ydtb/basic", id: "0001_pinned", direction: "up" });
    const [last] = await db.query<{ applied_by: string; direction: string }>(`SELECT applied_by, direction FROM ${HISTORY_TABLE} ORDER BY id DESC LIMIT 1`);
    expect(last!.direction).toBe("baseline");
    expect(last!.applied_by.startsWith(`${ADOPTED_BY_PREFIX} (resolve --applied, not run)`)).toBe(true);
    expect((await migrationStatus(db, all)).find((p) => p.package === "@ydtb/basic")).toMatchObject({ pending: [], databaseVersion: "1.1.0" });
    expect((await refusal(resolveMigration(db, all, { package: "@ydtb/basic", id: "0001_pinned", as: "applied" }))).code).toBe("ALREADY_APPLIED");

    await resolveMigration(db, all, { package: "@ydtb/basic", id: "0001_pinned", as: "rolled-back" });
    const [undone] = await db.query<{ applied_by: string; direction: string; execution_ms: number }>(`SELECT applied_by, direction, execution_ms FROM ${HISTORY_TABLE} ORDER BY id DESC LIMIT 1`);
    expect([undone!.direction, Number(undone!.execution_ms), undone!.applied_by.startsWith(`${ADOPTED_BY_PREFIX} (resolve --rolled-back, not run)`)]).toEqual(["down", 0, true]);
    expect((await migrationStatus(db, all)).find((p) => p.package === "@ydtb/basic")).toMatchObject({ pending: ["0001_pinned"], databaseVersion: "1.0.0" });
    expect((await refusal(resolveMigration(db, all, { package: "@ydtb/basic", id: "0001_pinned", as: "rolled-back" }))).code).toBe("NOT_APPLIED");
    expect((await refusal(resolveMigration(db, all, { package: "@ydtb/basic", id: "0009_nope", as: "applied" }))).code).toBe("UNKNOWN_MIGRATION");
    // The column added by hand is still there: resolve ran nothing.
    const [col] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'ydtb_basic_notes' AND column_name = 'pinned'`);
    expect(col!.n).toBe(1);
  });
});
