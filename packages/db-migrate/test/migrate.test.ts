import { afterAll, expect, test } from "bun:test";
import type { SqlSession } from "@ydtb/db-client";
import { describeDatabases } from "@ydtb/test-db";
import { sql } from "drizzle-orm";
import {
  APPLIED_TABLE,
  dropEverything,
  HISTORY_TABLE,
  migrate,
  MigrationFailedError,
  migrationStatus,
  NonTransactionalInAllModeError,
  PlanConflictError,
  repairChecksums,
  RollbackBlockedError,
  VERSIONS_TABLE,
} from "../src/index.ts";
import { basicManifest, coreManifest, folderManifest, removeTempDirs, tempDir, tsManifest, writeFolder } from "./fixtures/fixture-packages.ts";
import { appliedIds } from "./fixtures/history-queries.ts";

afterAll(removeTempDirs);

const all = [coreManifest, basicManifest];

async function tables(db: SqlSession): Promise<string[]> {
  const rows = await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  return rows.map((r) => r.name);
}

async function history(db: SqlSession): Promise<string[]> {
  const rows = await db.query<{ line: string }>(`SELECT package || ' ' || migration_id || ' ' || direction || ' ' || success AS line FROM ${HISTORY_TABLE} ORDER BY id`);
  return rows.map((r) => r.line);
}

/** A package whose second migration fails at its second statement (unless fixed). */
function failing(fixed: boolean) {
  return tsManifest("@ydtb/fx-fail", [
    { id: "0000_one", up: (db) => db.execute(sql`CREATE TABLE fx_one (id int)`), checksumSource: "one" },
    {
      id: "0001_two",
      up: async (db) => {
        await db.execute(sql`CREATE TABLE fx_two (id int)`);
        await db.execute(fixed ? sql`INSERT INTO fx_two VALUES (1)` : sql`INSERT INTO fx_missing VALUES (1)`);
      },
      checksumSource: "two",
    },
    { id: "0002_three", up: (db) => db.execute(sql`CREATE TABLE fx_three (id int)`), checksumSource: "three" },
  ]);
}

/** The same failure in a SQL folder, to check statement numbers and excerpts. */
function failingFolder(dir: string) {
  writeFolder(dir, [
    { tag: "0000_one", up: "CREATE TABLE fx_one (id int);" },
    { tag: "0001_two", up: "CREATE TABLE fx_two (id int);\n--> statement-breakpoint\nINSERT INTO fx_missing VALUES (1);" },
    { tag: "0002_three", up: "CREATE TABLE fx_three (id int);" },
  ]);
  return folderManifest("@ydtb/fx-fail", dir);
}

describeDatabases("migrate", (target) => {
  test("applies every package in order, records history and versions; a rerun is a bounded no-op", async () => {
    const db = await target.fresh();
    const first = await migrate(db, all, { appliedBy: "test" });
    expect(first.steps.map((s) => `${s.package} ${s.id} ${s.status}`)).toEqual([
      "@ydtb/core 0000_core applied",
      "@ydtb/core 0001_tools_phase2 applied",
      "@ydtb/core 0002_workspace_rls applied",
      "@ydtb/basic 0000_notes applied",
      "@ydtb/basic 0001_pinned applied",
      "@ydtb/basic 0002_workspace_rls applied",
    ]);
    expect(first.versions.map((v) => [v.package, v.databaseVersion, v.appliedCount])).toEqual([
      ["@ydtb/core", "1.0.0", 3],
      ["@ydtb/basic", "1.1.0", 3],
    ]);
    expect(await tables(db)).toContain("ydtb_basic_notes");
    expect(await history(db)).toEqual([
      "@ydtb/core 0000_core up true",
      "@ydtb/core 0001_tools_phase2 up true",
      "@ydtb/core 0002_workspace_rls up true",
      "@ydtb/basic 0000_notes up true",
      "@ydtb/basic 0001_pinned up true",
      "@ydtb/basic 0002_workspace_rls up true",
    ]);
    const [row] = await db.query<{ applied_by: string; execution_ms: number; checksum: string; version: string }>(`SELECT applied_by, execution_ms, checksum, version FROM ${HISTORY_TABLE} ORDER BY id LIMIT 1`);
    expect(row).toMatchObject({ applied_by: "test", version: "1.0.0" });
    expect(row!.checksum).toMatch(/^[0-9a-f]{64}$/);
    const versions = await db.query(`SELECT package, schema_version, code_version, applied_count FROM ${VERSIONS_TABLE} ORDER BY package`);
    expect(versions).toEqual([
      { package: "@ydtb/basic", schema_version: "1.1.0", code_version: basicManifest.version, applied_count: 3 },
      { package: "@ydtb/core", schema_version: "1.0.0", code_version: "1.0.0", applied_count: 3 },
    ]);

    const again = await migrate(db, all);
    expect([again.applied, again.plan.steps.length, again.fastPath]).toEqual([0, 0, true]);
    expect(again.queryCount).toBe(db.kind === "postgres" ? 4 : 2);
    expect((await history(db)).length).toBe(6);
  });

  test("the no-op costs the same number of queries however long the history is", async () => {
    const db = await target.fresh();
    const many = tsManifest(
      "@ydtb/fx-many",
      Array.from({ length: 60 }, (_, i) => ({ id: `m${String(i).padStart(3, "0")}`, up: (d: { execute: (q: ReturnType<typeof sql>) => unknown }) => d.execute(sql`SELECT 1`), checksumSource: `m${i}` })),
    );
    await migrate(db, [coreManifest]);
    const short = await migrate(db, [coreManifest]);
    await migrate(db, [coreManifest, many]);
    const long = await migrate(db, [coreManifest, many]);
    expect(short.fastPath && long.fastPath).toBe(true);
    expect(long.queryCount).toBe(short.queryCount);
    expect(long.queryCount).toBe(db.kind === "postgres" ? 4 : 2);
  });

  test("a migration failing half-way: earlier ones kept, it rolled back, nothing after it, exact history; a rerun after the fix completes", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest]);
    const progress: string[] = [];
    const error = await migrate(db, [coreManifest, failing(false)], { onProgress: (p) => progress.push(`${p.index}/${p.total} ${p.id} ${p.status}`) }).catch((e) => e);
    expect(progress).toEqual(["0/3 0000_one running", "0/3 0000_one applied", "1/3 0001_two running", "1/3 0001_two failed", "2/3 0002_three skipped"]);
    expect(error).toBeInstanceOf(MigrationFailedError);
    const e = error as MigrationFailedError;
    expect(e.code).toBe("MIGRATION_FAILED");
    expect([e.failure.package, e.failure.id, e.failure.pgCode]).toEqual(["@ydtb/fx-fail", "0001_two", "42P01"]);
    expect((e.cause as { code?: string; cause?: { code?: string } }).cause?.code ?? (e.cause as { code?: string }).code).toBe("42P01");
    expect(e.result!.steps.map((s) => `${s.id} ${s.status}`)).toEqual(["0000_one applied", "0001_two failed", "0002_three skipped"]);
    const t = await tables(db);
    expect(t).toContain("fx_one");
    expect(t).not.toContain("fx_two");
    expect(t).not.toContain("fx_three");
    expect(await appliedIds(db, "@ydtb/fx-fail")).toEqual(["0000_one"]);
    expect((await history(db)).filter((l) => l.startsWith("@ydtb/fx-fail"))).toEqual(["@ydtb/fx-fail 0000_one up true", "@ydtb/fx-fail 0001_two up false"]);

    const fixed = await migrate(db, [coreManifest, failing(true)]);
    expect(fixed.steps.map((s) => `${s.id} ${s.status}`)).toEqual(["0001_two applied", "0002_three applied"]);
    expect(await appliedIds(db, "@ydtb/fx-fail")).toEqual(["0000_one", "0001_two", "0002_three"]);
    expect(await db.query(`SELECT id FROM fx_two`)).toEqual([{ id: 1 }]);
  });

  test("a failing SQL statement is named by number with an excerpt", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest]);
    const e = (await migrate(db, [coreManifest, failingFolder(tempDir())]).catch((x) => x)) as MigrationFailedError;
    expect(e).toBeInstanceOf(MigrationFailedError);
    expect([e.failure.id, e.failure.statement, e.failure.pgCode]).toEqual(["0001_two", 2, "42P01"]);
    expect(e.failure.excerpt).toContain("INSERT INTO fx_missing");
    expect(e.failure.file).toEndWith("0001_two.sql");
    expect(await tables(db)).not.toContain("fx_two");
  });

  test('mode "all": a failure keeps nothing of the plan', async () => {
    const db = await target.fresh();
    const e = (await migrate(db, [coreManifest, failing(false)], { mode: "all" }).catch((x) => x)) as MigrationFailedError;
    expect(e).toBeInstanceOf(MigrationFailedError);
    expect(e.result!.steps.filter((s) => s.status === "applied")).toEqual([]);
    expect(await tables(db)).toEqual([APPLIED_TABLE, HISTORY_TABLE, VERSIONS_TABLE].sort());
    expect(await db.query(`SELECT count(*)::int AS n FROM ${APPLIED_TABLE}`)).toEqual([{ n: 0 }]);
    expect(await history(db)).toEqual(["@ydtb/fx-fail 0001_two up false"]);
    const ok = await migrate(db, [coreManifest, failing(true)], { mode: "all" });
    expect(ok.applied).toBe(6);
    expect(ok.versions.map((v) => [v.package, v.appliedCount])).toEqual([["@ydtb/core", 3], ["@ydtb/fx-fail", 3]]);
    expect((await migrate(db, [coreManifest, failing(true)])).fastPath).toBe(true);
  });

  test("upgrade and downgrade of a package with rows keep the data of untouched columns", async () => {
    const db = await target.fresh();
    await migrate(db, all, { target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } });
    expect((await migrationStatus(db, all)).map((p) => [p.package, p.databaseVersion, p.pending])).toEqual([
      ["@ydtb/core", "1.0.0", []],
      ["@ydtb/basic", "1.0.0", ["0001_pinned", "0002_workspace_rls"]],
    ]);
    await db.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('w1', 'One', 'one');
      INSERT INTO ydtb_basic_notes (workspace_id, id, title, body) VALUES ('w1', 'n1', 'First', 'body one'), ('w1', 'n2', 'Second', 'body two');
      INSERT INTO ydtb_basic_tags (workspace_id, id, name) VALUES ('w1', 't1', 'red');
      INSERT INTO ydtb_basic_note_tags (workspace_id, note_id, tag_id) VALUES ('w1', 'n1', 't1');`);

    const up = await migrate(db, all);
    expect(up.steps.map((s) => `${s.direction} ${s.id}`)).toEqual(["up 0001_pinned", "up 0002_workspace_rls"]);
    await db.exec(`UPDATE ydtb_basic_notes SET pinned = true WHERE id = 'n2'`);
    expect(await db.query(`SELECT id, title, body, pinned FROM ydtb_basic_notes ORDER BY id`)).toEqual([
      { id: "n1", title: "First", body: "body one", pinned: false },
      { id: "n2", title: "Second", body: "body two", pinned: true },
    ]);

    const down = await migrate(db, all, { target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } });
    expect(down.steps.map((s) => `${s.direction} ${s.id} ${s.status}`)).toEqual(["down 0002_workspace_rls applied", "down 0001_pinned applied"]);
    expect(await db.query(`SELECT id, title, body FROM ydtb_basic_notes ORDER BY id`)).toEqual([
      { id: "n1", title: "First", body: "body one" },
      { id: "n2", title: "Second", body: "body two" },
    ]);
    expect(await db.query(`SELECT note_id, tag_id FROM ydtb_basic_note_tags`)).toEqual([{ note_id: "n1", tag_id: "t1" }]);
    expect(down.versions.find((v) => v.package === "@ydtb/basic")).toMatchObject({ databaseVersion: "1.0.0", appliedCount: 1 });
    expect(await db.query(`SELECT schema_version, applied_count FROM ${VERSIONS_TABLE} WHERE package = '@ydtb/basic'`)).toEqual([{ schema_version: "1.0.0", applied_count: 1 }]);
    expect((await history(db)).at(-1)).toBe("@ydtb/basic 0001_pinned down true");
  });

  test("a rollback below what dependents need is refused, or cascades; --steps undoes the last ones", async () => {
    const db = await target.fresh();
    await migrate(db, all);
    const refused = await migrate(db, all, { target: { kind: "version", package: "@ydtb/core", version: "0.0.0" } }).catch((e) => e);
    expect(refused).toBeInstanceOf(RollbackBlockedError);
    expect((refused as RollbackBlockedError).dependents).toEqual([{ package: "@ydtb/basic", ids: ["0000_notes", "0001_pinned", "0002_workspace_rls"] }]);
    expect(await appliedIds(db, "@ydtb/basic")).toEqual(["0000_notes", "0001_pinned", "0002_workspace_rls"]);

    const one = await migrate(db, all, { target: { kind: "steps", steps: 1 } });
    expect(one.steps.map((s) => `${s.direction} ${s.id}`)).toEqual(["down 0002_workspace_rls"]);

    const cascade = await migrate(db, all, { target: { kind: "version", package: "@ydtb/core", version: "0.0.0" }, cascade: true });
    expect(cascade.steps.map((s) => `${s.package} ${s.id}`)).toEqual([
      "@ydtb/basic 0001_pinned",
      "@ydtb/basic 0000_notes",
      "@ydtb/core 0002_workspace_rls",
      "@ydtb/core 0001_tools_phase2",
      "@ydtb/core 0000_core",
    ]);
    expect(await tables(db)).toEqual([APPLIED_TABLE, HISTORY_TABLE, VERSIONS_TABLE].sort());
  });

  test("an edited applied migration is refused until repaired, and the repair is recorded", async () => {
    const db = await target.fresh();
    const untouched = { id: "0001_b", up: (d: { execute: (q: ReturnType<typeof sql>) => unknown }) => d.execute(sql`SELECT 1`), checksumSource: "b" };
    const v1 = tsManifest("@ydtb/fx-edit", [{ id: "0000_a", up: (d) => d.execute(sql`CREATE TABLE fx_a (id int)`), checksumSource: "v1" }, untouched]);
    const v2 = tsManifest("@ydtb/fx-edit", [{ id: "0000_a", up: (d) => d.execute(sql`CREATE TABLE fx_a (id bigint)`), checksumSource: "v2" }, untouched]);
    await migrate(db, [coreManifest, v1]);
    const error = (await migrate(db, [coreManifest, v2]).catch((e) => e)) as PlanConflictError;
    expect(error).toBeInstanceOf(PlanConflictError);
    expect(error.conflicts.map((c) => [c.kind, c.package, c.id])).toEqual([["checksum-mismatch", "@ydtb/fx-edit", "0000_a"]]);
    const status = await migrationStatus(db, [coreManifest, v2]);
    expect(status.find((p) => p.package === "@ydtb/fx-edit")!.changed).toEqual(["0000_a"]);

    // Another package edited too: repair --package accepts only the one named.
    const o1 = tsManifest("@ydtb/fx-other", [{ id: "0000_o", up: (d) => d.execute(sql`SELECT 1`), checksumSource: "o1" }]);
    const o2 = tsManifest("@ydtb/fx-other", [{ id: "0000_o", up: (d) => d.execute(sql`SELECT 1`), checksumSource: "o2" }]);
    await migrate(db, [coreManifest, v1, o1]);
    const { repaired } = await repairChecksums(db, [coreManifest, v2, o2], { package: "@ydtb/fx-edit" });
    expect(repaired.map((r) => [r.package, r.id])).toEqual([["@ydtb/fx-edit", "0000_a"]]);
    expect((await history(db)).at(-1)).toBe("@ydtb/fx-edit 0000_a repair true");
    const still = (await migrate(db, [coreManifest, v2, o2]).catch((e) => e)) as PlanConflictError;
    expect(still.conflicts.map((c) => [c.kind, c.package])).toEqual([["checksum-mismatch", "@ydtb/fx-other"]]);
    const after = await migrate(db, [coreManifest, v2, o1]);
    expect([after.applied, after.fastPath]).toEqual([0, true]);
    const sums = await db.query<{ id: string; checksum: string }>(`SELECT migration_id AS id, checksum FROM ${APPLIED_TABLE} WHERE package = '@ydtb/fx-edit' ORDER BY 1`);
    expect(sums[0]!.checksum === sums[1]!.checksum).toBe(false);
  });

  test("a -- ydtb:no-transaction migration runs outside a transaction; mode all refuses it up front", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [
      { tag: "0000_t", up: "CREATE TABLE fx_nt (id int, x int);" },
      { tag: "0001_idx", up: '-- ydtb:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "fx_nt_x_idx" ON "fx_nt" ("x");', down: '-- ydtb:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS "fx_nt_x_idx";' },
    ]);
    const manifest = folderManifest("@ydtb/fx-nt", dir);
    const refused = await migrate(db, [coreManifest, manifest], { mode: "all" }).catch((e) => e);
    expect(refused).toBeInstanceOf(NonTransactionalInAllModeError);
    expect(await tables(db)).toEqual([APPLIED_TABLE, HISTORY_TABLE, VERSIONS_TABLE].sort());

    const run = await migrate(db, [coreManifest, manifest]);
    expect(run.plan.steps.find((s) => s.id === "0001_idx")!.transaction).toBe(false);
    expect(await db.query(`SELECT indexname FROM pg_indexes WHERE indexname = 'fx_nt_x_idx'`)).toEqual([{ indexname: "fx_nt_x_idx" }]);
    await migrate(db, [coreManifest, manifest], { target: { kind: "steps", steps: 1 } });
    expect(await db.query(`SELECT indexname FROM pg_indexes WHERE indexname = 'fx_nt_x_idx'`)).toEqual([]);
  });

  test("status and dry run on a database never migrated create nothing", async () => {
    const db = await target.fresh();
    const status = await migrationStatus(db, all);
    expect(status.map((p) => [p.package, p.databaseVersion, p.applied.length, p.pending.length, p.lastAppliedAt])).toEqual([
      ["@ydtb/core", null, 0, 3, null],
      ["@ydtb/basic", null, 0, 3, null],
    ]);
    const dry = await migrate(db, all, { dryRun: true });
    expect(dry.plan.steps.length).toBe(6);
    expect(dry.steps.every((s) => s.status === "skipped")).toBe(true);
    expect(await tables(db)).toEqual([]);
  });

  test("dropEverything removes every registered table and the history", async () => {
    const db = await target.fresh();
    await migrate(db, all);
    const result = await dropEverything(db, all);
    expect(result.tables).toContain("ydtb_basic_notes");
    expect(result.tables).toContain(HISTORY_TABLE);
    expect(await tables(db)).toEqual([]);
    expect((await migrate(db, all)).applied).toBe(6);
  });
});
