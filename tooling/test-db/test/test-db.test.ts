import { expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "@ydtb/db-client";
import postgres from "postgres";
import { createPgliteDataDir, createServerDatabase, describeDatabases, describeServer, serverUrl, sweepStaleDatabases, TEST_DATABASE_PREFIX } from "../src/index.ts";

describeDatabases("test database", (target) => {
  test("each test gets an empty database, usable in a transaction and on one connection", async () => {
    const db = await target.fresh();
    expect(db.kind).toBe(target.kind);
    const tables = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables[0]?.n).toBe(0);
    await db.exec("CREATE TABLE t (id int primary key); INSERT INTO t VALUES (1)");
    await expect(
      db.transaction(async (tx) => {
        await tx.exec("INSERT INTO t VALUES (2)");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await db.withConnection((conn) => conn.transaction((tx) => tx.exec("INSERT INTO t VALUES (3)")));
    const rows = await db.query<{ id: number }>("SELECT id FROM t ORDER BY id");
    expect(rows.map((r) => r.id)).toEqual([1, 3]);
  });

  test("a second test does not see the first one's tables", async () => {
    const db = await target.fresh();
    const rows = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 't'");
    expect(rows).toHaveLength(0);
  });
});

test("a PGlite directory seeded from the snapshot opens as an empty database, without initdb", async () => {
  const dir = await createPgliteDataDir();
  try {
    const db = await openDatabase({ dataDir: dir });
    try {
      expect(await db.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([{ n: 0 }]);
      await db.exec("CREATE TABLE t (id int)");
    } finally {
      await db.close();
    }
    const again = await openDatabase({ dataDir: dir });
    try {
      expect(await again.query("SELECT count(*)::int AS n FROM t")).toEqual([{ n: 0 }]);
    } finally {
      await again.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs the fixture suite in a child `bun test`; returns bun's pass/skip/fail counts. */
function runFixture(env: Record<string, string | undefined>) {
  const run = Bun.spawnSync([process.execPath, "test", "./test/fixtures/both-kinds.fixture.ts"], { cwd: join(import.meta.dir, ".."), env, stdout: "pipe", stderr: "pipe" });
  const text = `${run.stdout.toString()}\n${run.stderr.toString()}`;
  const count = (word: string) => Number(text.match(new RegExp(`^\\s*(\\d+) ${word}$`, "m"))?.[1] ?? 0);
  return { code: run.exitCode, pass: count("pass"), skip: count("skip"), fail: count("fail") };
}

test("without a server URL the [postgres] suites are reported as skipped, not dropped", () => {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  expect(runFixture(env)).toEqual({ code: 0, pass: 1, skip: 2, fail: 0 });
});

/** The first line a child prints, read without waiting for it to exit. */
async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
    if (text.includes("\n")) break;
  }
  return text.split("\n")[0]!.trim();
}

describeServer("stale test databases", () => {
  const exists = async (sql: postgres.Sql, name: string) => (await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`).length === 1;

  test("a killed run's database is swept once nobody uses it; a live creator's and a hand-made one are kept", async () => {
    const url = serverUrl()!;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    const locks = postgres(url, { max: 1, onnotice: () => {} });
    const manual = `${TEST_DATABASE_PREFIX}by_hand_${process.pid}`;
    const mine = await createServerDatabase();
    const child = Bun.spawn([process.execPath, join(import.meta.dir, "fixtures/hold-database.ts")], { env: { ...process.env, TEST_DATABASE_URL: url }, stdout: "pipe", stderr: "inherit" });
    let name = "";
    try {
      name = await firstLine(child.stdout);
      expect(name.startsWith(TEST_DATABASE_PREFIX)).toBe(true);
      await admin.unsafe(`CREATE DATABASE "${manual}"`);

      // The creator is alive: its database is kept (so is this process's own, and the hand-made one).
      let swept = await sweepStaleDatabases(admin, locks);
      expect([name, mine.name, manual].filter((n) => swept.dropped.includes(n))).toEqual([]);

      child.kill("SIGKILL");
      await child.exited;
      // The server ends the dead creator's session (and frees its lock) when it sees the socket close.
      const holder = `ydtb-test-db locks ${child.pid}`;
      for (let i = 0; i < 100 && (await admin`SELECT 1 FROM pg_stat_activity WHERE application_name = ${holder}`).length > 0; i++) await Bun.sleep(50);

      // Abandoned but someone is connected: kept.
      const user = new URL(url);
      user.pathname = `/${name}`;
      const visitor = postgres(user.toString(), { max: 1, onnotice: () => {} });
      await visitor`SELECT 1`;
      swept = await sweepStaleDatabases(admin, locks);
      expect(swept.dropped).not.toContain(name);
      expect(await exists(admin, name)).toBe(true);
      await visitor.end({ timeout: 2 });
      for (let i = 0; i < 100 && (await admin`SELECT 1 FROM pg_stat_activity WHERE datname = ${name}`).length > 0; i++) await Bun.sleep(50);

      swept = await sweepStaleDatabases(admin, locks);
      expect(swept.dropped).toContain(name);
      expect(await exists(admin, name)).toBe(false);
      expect(await exists(admin, mine.name)).toBe(true);
      expect(await exists(admin, manual)).toBe(true);
    } finally {
      child.kill("SIGKILL");
      if (name) await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.unsafe(`DROP DATABASE IF EXISTS "${manual}"`);
      await mine.drop();
      await admin.end({ timeout: 2 });
      await locks.end({ timeout: 2 });
    }
  });
});
