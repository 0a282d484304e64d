import { afterAll, describe, expect, test } from "bun:test";
import { integer, pgTable } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { bindManifest, defineDatabase } from "@ydtb/db-registry";
import { closeTestServer, createTestDatabase, databaseKinds, describeDatabases } from "@ydtb/test-db";
import { loadMigrations, migrate, MigrationFailedError, MigrationLoadError, type ProgressEvent } from "../src/index.ts";
import { coreManifest, folderManifest, removeTempDirs, tempDir, writeFolder } from "./fixtures/fixture-packages.ts";

afterAll(removeTempDirs);

const onServer = databaseKinds().includes("postgres");
const record = (id: string) => `INSERT INTO fx_lw_seen VALUES ('${id}', current_setting('lock_timeout'), current_setting('statement_timeout'));`;

/** A SQL package: a table for what each migration saw, then one migration with a header and one without. */
function folderPackage() {
  const dir = tempDir();
  writeFolder(dir, [
    { tag: "0000_seen", up: "CREATE TABLE fx_lw_seen (id text, lock_timeout text, statement_timeout text);" },
    { tag: "0001_header", up: `-- Adds nothing; records its settings.\n-- ydtb:lock-timeout 12s\n${record("0001_header")}` },
    { tag: "0002_plain", up: record("0002_plain") },
  ]);
  return folderManifest("@ydtb/fx-lw", dir);
}

/** A TypeScript package with a manifest lockTimeout; one migration sets its own. */
function tsPackage() {
  const run = (id: string) => (db: { execute: (q: ReturnType<typeof sql.raw>) => unknown }) => db.execute(sql.raw(record(id)));
  return defineDatabase({
    packageName: "@ydtb/fx-lw-ts",
    version: "1.0.0",
    schema: { t: pgTable("fx_lw_ts_schema", { id: integer("id") }) },
    migrations: [
      { id: "a_own", up: run("a_own"), lockTimeout: "9s", checksumSource: "a" },
      { id: "b_manifest", up: run("b_manifest"), checksumSource: "b" },
    ],
    dependencies: { "@ydtb/fx-lw": "*" },
    lockTimeout: "7s",
  });
}

describeDatabases("lock waits are bounded", (target) => {
  test("each transactional migration runs with lock_timeout: its header, then its manifest, then the option; statement_timeout too; nothing leaks to the session", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest, folderPackage(), tsPackage()], { migrationLockTimeoutMs: 3_000, statementTimeoutMs: 60_000 });
    const seen = await db.query<{ id: string; lock_timeout: string; statement_timeout: string }>(`SELECT * FROM fx_lw_seen ORDER BY id`);
    expect(seen.map((r) => [r.id, r.lock_timeout, r.statement_timeout])).toEqual([
      ["0001_header", "12s", "1min"],
      ["0002_plain", "3s", "1min"],
      ["a_own", "9s", "1min"],
      ["b_manifest", "7s", "1min"],
    ]);
    // SET LOCAL ended with each migration's transaction.
    const [session] = await db.query<{ lock_timeout: string }>(`SELECT current_setting('lock_timeout') AS lock_timeout`);
    expect(session!.lock_timeout).toBe("0");
  });

  test("by default a migration waits at most 5 s for a lock and has no statement timeout", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest, folderPackage()]);
    const seen = await db.query<{ id: string; lock_timeout: string; statement_timeout: string }>(`SELECT * FROM fx_lw_seen ORDER BY id`);
    expect(seen.map((r) => [r.id, r.lock_timeout, r.statement_timeout])).toEqual([
      ["0001_header", "12s", "0"],
      ["0002_plain", "5s", "0"],
    ]);
  });
});

test("a header that is not a duration is refused when loading, naming the file", () => {
  const dir = tempDir();
  writeFolder(dir, [{ tag: "0000_bad", up: "-- ydtb:lock-timeout 10 seconds\nCREATE TABLE fx_bad (id int);" }]);
  let error: unknown;
  try {
    loadMigrations([folderManifest("@ydtb/fx-bad", dir)]);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MigrationLoadError);
  expect(error).toMatchObject({ code: "MIGRATION_LOAD_FAILED", packageName: "@ydtb/fx-bad" });
  expect((error as MigrationLoadError).file).toEndWith("0000_bad.sql");
});

/** Polls `check` every 50 ms for up to 20 s; throws naming what it waited for. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 50) {
    if (await check()) return;
    await Bun.sleep(50);
  }
  throw new Error(`gave up after 20 s waiting for ${what}`);
}

describe.skipIf(!onServer)("a migration blocked by another session's lock [postgres]", () => {
  afterAll(closeTestServer);

  test("is retried with backoff, each retry reported, then fails naming the blocker; queries queued behind it go on meanwhile", async () => {
    const db = await createTestDatabase("postgres");
    const blocker = postgres(db.url!, { max: 1, onnotice: () => {}, connection: { application_name: "ydtb-test-blocker" } });
    const reader = postgres(db.url!, { max: 1, onnotice: () => {}, connection: { application_name: "ydtb-test-reader" } });
    try {
      const dir = tempDir();
      const table = { tag: "0000_items", up: "CREATE TABLE fx_lw_items (id int);" };
      writeFolder(dir, [table]);
      await migrate(db, [coreManifest, folderManifest("@ydtb/fx-lw", dir)]);

      // An open transaction that read the table holds ACCESS SHARE until it ends.
      const held = await blocker.reserve();
      await held.unsafe("BEGIN");
      await held.unsafe("SELECT count(*) FROM fx_lw_items");
      const [{ pid: blockerPid }] = (await held.unsafe("SELECT pg_backend_pid() AS pid")) as unknown as [{ pid: number }];

      writeFolder(dir, [table, { tag: "0001_note", up: "ALTER TABLE fx_lw_items ADD COLUMN note text;" }]);
      const events: ProgressEvent[] = [];
      let settled = false;
      const running = migrate(db, [coreManifest, folderManifest("@ydtb/fx-lw", dir)], { migrationLockTimeoutMs: 400, lockRetries: 3, lockRetryBackoffMs: 200, onProgress: (e) => events.push(e) }).then(
        () => ((settled = true), undefined),
        (error: unknown) => ((settled = true), error),
      );

      await until("the migration to wait for its table lock", async () => {
        const rows = await db.query(`SELECT 1 FROM pg_locks WHERE NOT granted AND relation = 'fx_lw_items'::regclass`);
        return rows.length > 0;
      });
      // This read queues behind the waiting ALTER TABLE; it gets through when the attempt gives
      // up — while the blocker still holds its lock and the migration is still retrying (about
      // 3 s of retries remain: a wide margin, not a timing assertion).
      const [read] = (await reader.unsafe("SELECT count(*)::int AS n FROM fx_lw_items")) as unknown as [{ n: number }];
      expect(read.n).toBe(0);
      expect(settled).toBe(false);

      const error = await running;
      expect(error).toBeInstanceOf(MigrationFailedError);
      const failure = (error as MigrationFailedError).failure;
      expect((error as MigrationFailedError).code).toBe("MIGRATION_LOCK_TIMEOUT");
      expect(failure).toMatchObject({ package: "@ydtb/fx-lw", id: "0001_note", pgCode: "55P03" });
      expect(failure.lockWait).toMatchObject({ attempts: 4, lockTimeoutMs: 400 });
      expect(failure.lockWait!.blockers.map((b) => [b.pid, b.applicationName])).toEqual([[blockerPid, "ydtb-test-blocker"]]);
      expect(failure.lockWait!.blockers[0]!.query).toContain("SELECT pg_backend_pid()");
      expect(failure.lockWait!.blockers[0]!.since).not.toBeNull();
      expect(events.filter((e) => e.status === "retrying").map((e) => [e.id, e.attempt, e.attempts, e.blockers?.[0]?.pid])).toEqual([
        ["0001_note", 1, 4, blockerPid],
        ["0001_note", 2, 4, blockerPid],
        ["0001_note", 3, 4, blockerPid],
      ]);
      const columns = await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'fx_lw_items' AND column_name = 'note'`);
      expect(columns).toEqual([]);

      // Once the blocker is gone the same migration applies.
      await held.unsafe("ROLLBACK");
      held.release();
      const result = await migrate(db, [coreManifest, folderManifest("@ydtb/fx-lw", dir)], { migrationLockTimeoutMs: 400 });
      expect(result.applied).toBe(1);
    } finally {
      await blocker.end({ timeout: 2 });
      await reader.end({ timeout: 2 });
      await db.dispose();
    }
  });
});
