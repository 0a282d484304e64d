import { expect, test } from "bun:test";
import type { Database } from "@ydtb/db-client";
import { describeDatabases } from "@ydtb/test-db";
import { blockingBackends, describeBlocker, watchBlockers } from "../src/index.ts";

/** The database, with its `query` calls counted (the watcher's looks); look number `holdAt` waits for `release()`. */
function counted(db: Database, holdAt: number): { db: Database; looks: () => number; release: () => void } {
  let n = 0;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const proxy = new Proxy(db, {
    get(target, key) {
      if (key === "query") {
        return (...args: Parameters<Database["query"]>) => (++n === holdAt ? held.then(() => target.query(...args)) : target.query(...args));
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, looks: () => n, release };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await Bun.sleep(5);
};

describeDatabases("watching who blocks a migration", (target) => {
  test("the watcher looks again and again until stopped, and never after", async () => {
    const db = await target.fresh();
    const { db: watched, looks, release } = counted(db, 3);
    const [me] = await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const watch = watchBlockers(watched, me!.pid, 5);
    // Stopped while its third look is under way (held): that look ends after the stop.
    await until(() => looks() >= 3);
    expect(await watch.stop()).toEqual([]);
    release();
    // Several intervals later: a stopped watcher has sent nothing more.
    for (let i = 0; i < 10; i++) await Bun.sleep(10);
    expect(looks()).toBe(3);
    expect(await blockingBackends(db, me!.pid)).toEqual([]);
  });
});

test("a blocker in words: pid, application, state, since when, and its query (or that it has none)", () => {
  const b = { pid: 42, applicationName: "psql", state: "idle in transaction", query: "", since: "2026-11-25T14:00:00.000Z" };
  expect(describeBlocker(b)).toBe('pid 42 ("psql", idle in transaction since 2026-11-25T14:00:00.000Z): (no query)');
  expect(describeBlocker({ ...b, since: null, query: "LOCK t" })).toBe('pid 42 ("psql", idle in transaction): LOCK t');
});
