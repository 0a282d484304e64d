import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openDatabase } from "@ydtb/db-client";
import { createTestDatabase, describeServer } from "@ydtb/test-db";
import { sql } from "drizzle-orm";
import { APPLIED_TABLE, HISTORY_TABLE, LockReleaseError, LockTimeoutError, MigrationFailedError, migrate, withMigrationLock } from "../src/index.ts";
import { coreManifest, tsManifest } from "./fixtures/fixture-packages.ts";

const script = join(import.meta.dir, "fixtures/migrate-process.ts");

function spawnMigrator(url: string, scenario: "normal" | "slow") {
  return Bun.spawn(["bun", script, url, scenario], { stdout: "pipe", stderr: "pipe", env: { ...process.env } });
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

describeServer("concurrent migrators", () => {
  test("8 processes migrating one empty database at once: all exit 0, each migration recorded once, schema complete", async () => {
    const db = await createTestDatabase("postgres");
    try {
      const procs = Array.from({ length: 8 }, () => spawnMigrator(db.url!, "normal"));
      const outcomes = await Promise.all(procs.map(async (p) => ({ code: await p.exited, out: await new Response(p.stdout).text(), err: await new Response(p.stderr).text() })));
      expect(outcomes.filter((o) => o.code !== 0).map((o) => o.err)).toEqual([]);
      expect(outcomes.map((o) => o.code)).toEqual(Array(8).fill(0));
      const appliedTotal = outcomes.reduce((n, o) => n + (JSON.parse(o.out.trim()) as { applied: number }).applied, 0);
      expect(appliedTotal).toBe(9);
      const rows = await db.query<{ package: string; migration_id: string; n: number }>(
        `SELECT package, migration_id, count(*)::int AS n FROM ${HISTORY_TABLE} GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      expect(rows.length).toBe(9);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      expect(await db.query(`SELECT count(*)::int AS n FROM ${HISTORY_TABLE} WHERE NOT success`)).toEqual([{ n: 0 }]);
      expect(await db.query(`SELECT count(*)::int AS n FROM ${APPLIED_TABLE}`)).toEqual([{ n: 9 }]);
      const tables = (await db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`)).map((r) => r.t);
      for (const t of ["ydtb_workspaces", "ydtb_basic_notes", "fx_proc_items", "fx_proc_long", "fx_proc_after"]) expect(tables).toContain(t);
      expect(await db.query(`SELECT count(*)::int AS n FROM fx_proc_long`)).toEqual([{ n: 3 }]);
    } finally {
      await db.dispose();
    }
  }, 60_000);

  test("a process killed with SIGKILL during a long migration: no partial state, the lock is free, a rerun completes", async () => {
    const db = await createTestDatabase("postgres");
    try {
      const proc = spawnMigrator(db.url!, "slow");
      await waitFor("the long migration to run", 30_000, async () => {
        const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()`);
        return rows[0]!.n > 0;
      });
      proc.kill("SIGKILL");
      expect(await proc.exited).not.toBe(0);

      // The lock is taken again within a bounded wait: the server dropped the dead session's lock.
      await withMigrationLock(db, { lockTimeoutMs: 10_000 }, async (conn) => {
        const applied = await conn.query<{ id: string }>(`SELECT migration_id AS id FROM ${APPLIED_TABLE} WHERE package = '@ydtb/fx-proc' ORDER BY history_id`);
        expect(applied.map((r) => r.id)).toEqual(["0000_items"]);
        expect(await conn.query(`SELECT to_regclass('fx_proc_long') IS NULL AS gone`)).toEqual([{ gone: true }]);
        expect(await conn.query(`SELECT count(*)::int AS n FROM ${HISTORY_TABLE} WHERE migration_id = '0001_long'`)).toEqual([{ n: 0 }]);
      });

      const rerun = spawnMigrator(db.url!, "normal");
      expect(await rerun.exited).toBe(0);
      expect(JSON.parse((await new Response(rerun.stdout).text()).trim())).toEqual({ applied: 2 });
      expect(await db.query(`SELECT count(*)::int AS n FROM fx_proc_long`)).toEqual([{ n: 3 }]);
    } finally {
      await db.dispose();
    }
  }, 60_000);

  test("waiting for the lock is bounded, and the error names the holder", async () => {
    const db = await createTestDatabase("postgres");
    const other = await openDatabase({ url: db.url! });
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let holderPid = 0;
      let held!: () => void;
      const isHeld = new Promise<void>((r) => (held = r));
      const holding = withMigrationLock(db, {}, async (conn) => {
        holderPid = (await conn.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`))[0]!.pid;
        held();
        await gate;
      });
      await isHeld;
      const error = await migrate(other, [coreManifest], { lockTimeoutMs: 300 }).catch((e) => e);
      release();
      await holding;
      expect(error).toBeInstanceOf(LockTimeoutError);
      expect((error as LockTimeoutError).code).toBe("LOCK_TIMEOUT");
      expect((error as LockTimeoutError).holder).toContain(`pid ${holderPid}`);
      // Released on every path: the next run gets it at once.
      expect((await migrate(other, [coreManifest], { lockTimeoutMs: 1_000 })).applied).toBe(3);
    } finally {
      await other.close();
      await db.dispose();
    }
  }, 30_000);
});

describeServer("the lock's contract", () => {
  test("under the lock the session's lock_timeout is its own (the wait's timeout is scoped to the wait)", async () => {
    const db = await createTestDatabase("postgres");
    try {
      const seen = await withMigrationLock(db, { lockTimeoutMs: 1_234 }, (conn) => conn.query<{ t: string }>(`SELECT current_setting('lock_timeout') AS t`));
      expect(seen).toEqual([{ t: "0" }]);
    } finally {
      await db.dispose();
    }
  });

  test("a release that fails is surfaced, with the work's own error kept", async () => {
    const db = await createTestDatabase("postgres");
    const unlockInside = "SELECT pg_advisory_unlock(hashtextextended(current_database() || ':ydtb_schema_history', 0))";
    try {
      const afterSuccess = await withMigrationLock(db, {}, (conn) => conn.exec(unlockInside)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(afterSuccess).toBeInstanceOf(LockReleaseError);
      expect([(afterSuccess as LockReleaseError).code, (afterSuccess as LockReleaseError).runError]).toEqual(["LOCK_RELEASE_FAILED", undefined]);
      const work = new Error("the work failed");
      const afterFailure = (await withMigrationLock(db, {}, async (conn) => {
        await conn.exec(unlockInside);
        throw work;
      }).then(
        () => undefined,
        (e: unknown) => e,
      )) as LockReleaseError;
      expect(afterFailure).toBeInstanceOf(LockReleaseError);
      expect(afterFailure.runError).toBe(work);
      expect(afterFailure.cause).toBeInstanceOf(Error);
    } finally {
      await db.dispose();
    }
  });

  test("migrate(): a failed migration whose lock release fails too is kept as the release error's runError, naming the migration", async () => {
    const db = await createTestDatabase("postgres");
    const unlock = sql.raw("SELECT pg_advisory_unlock(hashtextextended(current_database() || ':ydtb_schema_history', 0))");
    const failing = tsManifest("@ydtb/fx-unlocked", [
      {
        id: "0000_a",
        up: async (d) => {
          await d.execute(unlock);
          await d.execute(sql.raw("SELECT * FROM fx_unlocked_nope"));
        },
        checksumSource: "unlock then fail",
      },
    ]);
    try {
      const error = await migrate(db, [failing]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LockReleaseError);
      const run = (error as LockReleaseError).runError;
      expect(run).toBeInstanceOf(MigrationFailedError);
      expect([(run as MigrationFailedError).failure.package, (run as MigrationFailedError).failure.id]).toEqual(["@ydtb/fx-unlocked", "0000_a"]);
    } finally {
      await db.dispose();
    }
  });
});

describe("migration lock [pglite]", () => {
  test("waiting for the in-process connection mutex is bounded too", async () => {
    const db = await createTestDatabase("pglite");
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const holding = db.withConnection(() => gate);
      const error = await migrate(db, [coreManifest], { lockTimeoutMs: 200 }).catch((e) => e);
      expect((error as LockTimeoutError).code).toBe("LOCK_TIMEOUT");
      release();
      await holding;
      expect((await migrate(db, [coreManifest])).applied).toBe(3);
    } finally {
      await db.dispose();
    }
  });
});
