import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ConnectFailedError, ConnectionLostError, openDatabase, type Database } from "../src/index.ts";

// Server faults: PGlite has no sockets to cut. Skipped (reported) without a server.
const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
};

// Needs no server: the endpoints are fakes on loopback ports.
test("bad endpoints are CONNECT_FAILED naming host:port and why, with one connection attempt each", async () => {
  let httpConnections = 0;
  const http = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open: () => void httpConnections++,
      data: (s) => {
        s.write("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
        s.end();
      },
    },
  });
  const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: () => undefined } });
  try {
    const cases: [string, string][] = [
      [`postgres://u:pw@127.0.0.1:${http.port}/x`, "not-postgres"],
      [`postgres://u:pw@127.0.0.1:${silent.port}/x`, "timeout"],
      ["postgres://u:pw@127.0.0.1:1/x", "refused"],
    ];
    for (const [target, reason] of cases) {
      const error = await errorOf(openDatabase({ url: target, connectTimeoutMs: 500 }));
      expect(error).toBeInstanceOf(ConnectFailedError);
      const e = error as ConnectFailedError;
      expect([e.code, e.reason, e.host, e.port]).toEqual(["CONNECT_FAILED", reason, "127.0.0.1", Number(new URL(target).port)]);
      expect(e.message).toContain(`127.0.0.1:${new URL(target).port}`);
    }
    expect(httpConnections).toBe(1);
  } finally {
    http.stop(true);
    silent.stop(true);
  }
});

describe.skipIf(!url)("server faults [postgres]", () => {
  let admin: Database;
  beforeAll(async () => {
    admin = await openDatabase({ url: url! });
  });
  afterAll(() => admin.close());
  // Only backends this test opened are terminated, by pid.
  const terminate = (pid: number) => admin.query("SELECT pg_terminate_backend($1)", [pid]);

  test("a backend terminated between two queries of a connection: CONNECTION_LOST, and the pool carries on", async () => {
    const db = await openDatabase({ url: url! });
    try {
      const error = await errorOf(
        db.withConnection(async (conn) => {
          const [{ pid }] = (await conn.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")) as [{ pid: number }];
          await terminate(pid);
          await Bun.sleep(50);
          return conn.query("SELECT 1");
        }),
      );
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect((error as ConnectionLostError).code).toBe("CONNECTION_LOST");
      // The cause is the server's own word, even though the query only met a dead socket.
      expect(((error as Error).cause as { code?: string }).code).toBe("57P01");
      expect(await db.query<{ n: number }>("SELECT 1 AS n")).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  });

  test("a backend terminated mid-statement inside a transaction: CONNECTION_LOST with the server's 57P01 as cause", async () => {
    const db = await openDatabase({ url: url! });
    try {
      const error = await errorOf(
        db.withConnection(async (conn) => {
          const [{ pid }] = (await conn.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")) as [{ pid: number }];
          return conn.transaction(async (tx) => {
            const sleeping = tx.exec("SELECT pg_sleep(3600)");
            // It rejects as soon as the backend dies, maybe before the await below: marked handled.
            sleeping.catch(() => undefined);
            // Terminated once the statement is seen running.
            for (let i = 0; i < 200; i++) {
              const [row] = await admin.query<{ state: string }>("SELECT state FROM pg_stat_activity WHERE pid = $1", [pid]);
              if (row?.state === "active") break;
              await Bun.sleep(25);
            }
            await terminate(pid);
            await sleeping;
          });
        }),
      );
      expect((error as ConnectionLostError).code).toBe("CONNECTION_LOST");
      expect(((error as Error).cause as { code?: string }).code).toBe("57P01");
    } finally {
      await db.close();
    }
  });

  test("a SIGKILLed lock holder's backend ends mid-statement (client_connection_check_interval), freeing its advisory lock", async () => {
    const key = String(BigInt(process.pid) * 1_000_003n);
    const child = Bun.spawn(["bun", join(import.meta.dir, "fixtures/hold-lock.ts"), url!, key], { stdout: "pipe", stderr: "inherit" });
    const reader = child.stdout.getReader();
    let out = "";
    while (!out.includes("locked")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("lock holder exited early");
      out += new TextDecoder().decode(value);
    }
    const backend = Number(/locked (\d+)/.exec(out)![1]);
    const [setting] = await admin.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'client_connection_check_interval'");
    expect(setting?.setting).toBe("0"); // the server default: only our session sets it
    child.kill("SIGKILL");
    await child.exited;
    // Its statement would run for an hour; the backend must go long before the wait's bound.
    let alive = true;
    for (let i = 0; i < 300 && alive; i++) {
      const rows = await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [backend]);
      alive = rows.length > 0;
      if (alive) await Bun.sleep(100);
    }
    const locks = await admin.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = $1", [backend]);
    if (alive) await terminate(backend); // cleanup when the check below fails
    expect(alive).toBe(false);
    expect(locks).toEqual([]);
  });

  test("a session the server refuses (no such database) is CONNECT_FAILED with the SQLSTATE as cause", async () => {
    const target = new URL(url!);
    target.pathname = "/ydtb_no_such_database_here";
    const error = await errorOf(openDatabase({ url: target.toString() }));
    expect([(error as ConnectFailedError).code, (error as ConnectFailedError).reason]).toEqual(["CONNECT_FAILED", "rejected"]);
    expect(((error as Error).cause as { code?: string }).code).toBe("3D000");
  });

  test("a server boot does not load PGlite", async () => {
    const script = `import { openDatabase } from ${JSON.stringify(join(import.meta.dir, "../src/index.ts"))};
const db = await openDatabase({ url: process.env.URL });
await db.query("SELECT 1");
await db.close();
console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes("@electric-sql/pglite") || k.includes("drizzle-orm/pglite"))));`;
    const child = Bun.spawn(["bun", "-e", script], { env: { ...process.env, URL: url! }, stdout: "pipe", stderr: "inherit" });
    expect(await child.exited).toBe(0);
    expect(JSON.parse(await new Response(child.stdout).text())).toEqual([]);
  });
});
