import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MigrationDefinition } from "@ydtb/db-registry";
import { describeDatabases } from "@ydtb/test-db";
import { sql } from "drizzle-orm";
import { HISTORY_TABLE, migrate, MigrationFailedError, NonTransactionalInAllModeError, RollbackBlockedError, VERSIONS_TABLE } from "../src/index.ts";
import { coreManifest, folderManifest, removeTempDirs, tempDir, tsManifest, writeFolder } from "./fixtures/fixture-packages.ts";
import { historyLines, appliedIds, exists } from "./fixtures/history-queries.ts";

afterAll(removeTempDirs);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: Error) => error,
  );
  if (!outcome) throw new Error("expected a rejection, the promise resolved");
  return outcome;
}

/** A TypeScript migration creating table `name` (its down drops it, or runs `downSql`). */
const table = (id: string, name: string, downSql = `DROP TABLE ${name}`): MigrationDefinition => ({
  id,
  up: (db) => db.execute(sql.raw(`CREATE TABLE ${name} (id int)`)),
  down: (db) => db.execute(sql.raw(downSql)),
  checksumSource: id,
});

describeDatabases("failure paths", (target) => {
  test("a failing history write rolls its migration back with it", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest]);
    // A trigger that refuses the history row of one migration: the migration's table must not survive.
    await db.exec(`CREATE FUNCTION fx_refuse() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN
      IF NEW.migration_id = '0001_b' AND NEW.success THEN RAISE EXCEPTION 'history refused'; END IF; RETURN NEW; END $f$;
      CREATE TRIGGER fx_refuse BEFORE INSERT ON ${HISTORY_TABLE} FOR EACH ROW EXECUTE FUNCTION fx_refuse();`);
    const pkg = tsManifest("@ydtb/fx-hist", [table("0000_a", "fx_hist_a"), table("0001_b", "fx_hist_b")]);
    const e = (await rejection(migrate(db, [coreManifest, pkg]))) as MigrationFailedError;
    expect([e.code, e.failure.id, e.failure.pgCode]).toEqual(["MIGRATION_FAILED", "0001_b", "P0001"]);
    expect([await exists(db, "fx_hist_a"), await exists(db, "fx_hist_b")]).toEqual([true, false]);
    expect(await appliedIds(db, "@ydtb/fx-hist")).toEqual(["0000_a"]);
    expect(await historyLines(db, "@ydtb/fx-hist")).toEqual(["0000_a up true", "0001_b up false"]);
    // The versions row is written after a failure too, for what did commit.
    expect(await db.query(`SELECT applied_count FROM ${VERSIONS_TABLE} WHERE package = '@ydtb/fx-hist'`)).toEqual([{ applied_count: 1 }]);
  });

  test("a failing down is recorded, and the migration stays applied", async () => {
    const db = await target.fresh();
    const pkg = (broken: boolean) =>
      tsManifest("@ydtb/fx-down", [
        table("0000_a", "fx_down_a", broken ? "DROP TABLE fx_down_nope" : "DROP TABLE fx_down_a"),
      ]);
    await migrate(db, [coreManifest, pkg(true)]);
    const e = (await rejection(migrate(db, [coreManifest, pkg(true)], { target: { kind: "steps", steps: 1 } }))) as MigrationFailedError;
    expect([e.failure.id, e.failure.direction, e.failure.pgCode]).toEqual(["0000_a", "down", "42P01"]);
    expect(await historyLines(db, "@ydtb/fx-down")).toEqual(["0000_a up true", "0000_a down false"]);
    expect(await appliedIds(db, "@ydtb/fx-down")).toEqual(["0000_a"]);
    expect(await exists(db, "fx_down_a")).toBe(true);
  });

  test("after a failed run the lock is free and the connection is usable: the next run (same Database) records and applies", async () => {
    const db = await target.fresh();
    const failing = tsManifest("@ydtb/fx-reuse", [{ id: "0000_a", up: (d) => d.execute(sql`INSERT INTO fx_reuse_nope VALUES (1)`), checksumSource: "bad" }]);
    const fixed = tsManifest("@ydtb/fx-reuse", [{ id: "0000_a", up: (d) => d.execute(sql`CREATE TABLE fx_reuse (id int)`), checksumSource: "good" }]);
    await rejection(migrate(db, [coreManifest, failing]));
    if (db.kind === "postgres") {
      const held = await db.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      expect(held).toEqual([{ n: 0 }]);
    }
    await rejection(migrate(db, [coreManifest, failing], { lockTimeoutMs: 2_000 }));
    const ok = await migrate(db, [coreManifest, fixed], { lockTimeoutMs: 2_000 });
    expect(ok.steps.map((s) => `${s.id} ${s.status}`)).toEqual(["0000_a applied"]);
    expect(await historyLines(db, "@ydtb/fx-reuse")).toEqual(["0000_a up false", "0000_a up false", "0000_a up true"]);
    expect(await db.query(`SELECT current_setting('lock_timeout') AS t`)).toEqual([{ t: "0" }]);
  });

  test("the result on a failure is frozen and cannot be replaced", async () => {
    const db = await target.fresh();
    const failing = tsManifest("@ydtb/fx-frozen", [{ id: "0000_a", up: (d) => d.execute(sql`SELECT * FROM fx_frozen_nope`), checksumSource: "x" }]);
    const e = (await rejection(migrate(db, [coreManifest, failing]))) as MigrationFailedError;
    expect(e.result!.steps.map((s) => `${s.package} ${s.id} ${s.status}`)).toEqual([
      "@ydtb/core 0000_core applied",
      "@ydtb/core 0001_tools_phase2 applied",
      "@ydtb/core 0002_workspace_rls applied",
      "@ydtb/fx-frozen 0000_a failed",
    ]);
    expect(Object.isFrozen(e.result)).toBe(true);
    expect(() => {
      (e as { result?: unknown }).result = undefined;
    }).toThrow(TypeError);
    expect(e.result!.failed).toBe(1);
  });

  test("a version bump without new migrations updates the versions row; the next boot is the no-op", async () => {
    const db = await target.fresh();
    const v = (version: string) => tsManifest("@ydtb/fx-bump", [table("0000_a", "fx_bump_a")], { version });
    await migrate(db, [coreManifest, v("1.0.0")]);
    const bumped = await migrate(db, [coreManifest, v("1.1.0")]);
    expect([bumped.fastPath, bumped.plan.steps.length, bumped.versions.find((p) => p.package === "@ydtb/fx-bump")!.codeVersion]).toEqual([false, 0, "1.1.0"]);
    expect(await db.query(`SELECT code_version FROM ${VERSIONS_TABLE} WHERE package = '@ydtb/fx-bump'`)).toEqual([{ code_version: "1.1.0" }]);
    expect((await migrate(db, [coreManifest, v("1.1.0")])).fastPath).toBe(true);
  });

  test("a transactional up with a -- ydtb:no-transaction down: the down runs outside a transaction; mode all refuses that rollback", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [
      {
        tag: "0000_idx",
        up: 'CREATE TABLE fx_pair (x int);\n--> statement-breakpoint\nCREATE INDEX "fx_pair_x" ON fx_pair (x);',
        down: '-- ydtb:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS "fx_pair_x";\n--> statement-breakpoint\nDROP TABLE IF EXISTS fx_pair;',
      },
    ]);
    const manifest = folderManifest("@ydtb/fx-pair", dir);
    const up = await migrate(db, [coreManifest, manifest]);
    expect(up.plan.steps.find((s) => s.id === "0000_idx")!.transaction).toBe(true);
    const rollback = { target: { kind: "steps", steps: 1 } } as const;
    expect(await rejection(migrate(db, [coreManifest, manifest], { ...rollback, mode: "all" }))).toBeInstanceOf(NonTransactionalInAllModeError);
    const down = await migrate(db, [coreManifest, manifest], rollback);
    expect(down.steps.map((s) => `${s.direction} ${s.id} ${s.status}`)).toEqual(["down 0000_idx applied"]);
    expect(down.plan.steps[0]!.transaction).toBe(false);
    expect(await exists(db, "fx_pair")).toBe(false);
    expect(await historyLines(db, "@ydtb/fx-pair")).toEqual(["0000_idx up true", "0000_idx down true"]);
  });

  test("rolling back one package's last steps leaves other packages' later migrations alone; its dependents are refused or cascaded", async () => {
    const db = await target.fresh();
    const baseDir = tempDir();
    writeFileSync(join(baseDir, "migrations.versions.json"), JSON.stringify({ "1.0.0": ["0000_a"], "1.1.0": ["0001_b"] }));
    const base = tsManifest("@ydtb/fx-base", [table("0000_a", "fx_base_a"), table("0001_b", "fx_base_b")], { version: "1.1.0", packageDir: baseDir });
    const dependent = tsManifest("@ydtb/fx-dep", [table("0000_x", "fx_dep_x")], { dependencies: { "@ydtb/fx-base": "^1.0.0" } });
    // Same id as fx-base's second migration: undoing one must not touch the other.
    const other = tsManifest("@ydtb/fx-other", [table("0001_b", "fx_other_o")]);
    const all = [coreManifest, base, dependent, other];
    await migrate(db, all);
    // @ydtb/fx-other was applied last: a plain --steps 1 would undo it; --package fx-base undoes fx-base's last.
    const one = await migrate(db, all, { target: { kind: "steps", steps: 1, package: "@ydtb/fx-base" } });
    expect(one.steps.map((s) => `${s.direction} ${s.package} ${s.id}`)).toEqual(["down @ydtb/fx-base 0001_b"]);
    expect(await appliedIds(db, "@ydtb/fx-other")).toEqual(["0001_b"]);
    const refused = (await rejection(migrate(db, all, { target: { kind: "steps", steps: 1, package: "@ydtb/fx-base" } }))) as RollbackBlockedError;
    expect(refused).toBeInstanceOf(RollbackBlockedError);
    expect(refused.dependents).toEqual([{ package: "@ydtb/fx-dep", ids: ["0000_x"] }]);
    const cascade = await migrate(db, all, { target: { kind: "steps", steps: 1, package: "@ydtb/fx-base" }, cascade: true });
    expect(cascade.steps.map((s) => `${s.package} ${s.id}`)).toEqual(["@ydtb/fx-dep 0000_x", "@ydtb/fx-base 0000_a"]);
    expect([await appliedIds(db, "@ydtb/fx-base"), await appliedIds(db, "@ydtb/fx-dep"), await appliedIds(db, "@ydtb/fx-other")]).toEqual([[], [], ["0001_b"]]);
  });

  test("a failing no-transaction migration is recorded as failed only: its statements before the failure stay, it is not applied", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [
      { tag: "0000_t", up: "CREATE TABLE fx_nt2 (x int);" },
      { tag: "0001_idx", up: '-- ydtb:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "fx_nt2_x" ON fx_nt2 (x);\n--> statement-breakpoint\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "fx_nt2_y" ON fx_nt2 (y);' },
    ]);
    const e = (await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-nt2", dir)]))) as MigrationFailedError;
    expect([e.failure.id, e.failure.statement, e.failure.pgCode]).toEqual(["0001_idx", 2, "42703"]);
    expect(await appliedIds(db, "@ydtb/fx-nt2")).toEqual(["0000_t"]);
    expect(await historyLines(db, "@ydtb/fx-nt2")).toEqual(["0000_t up true", "0001_idx up false"]);
    expect(await db.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'fx_nt2' ORDER BY 1`)).toEqual([{ indexname: "fx_nt2_x" }]);
  });
});

