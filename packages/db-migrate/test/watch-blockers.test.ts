import { expect, test } from "bun:test";
import type { Database } from "@ydtb/db-client";
import { describeDatabases } from "@ydtb/test-db";
import { blockingBackends, describeBlocker, watchBlockers } from "../src/index.ts";

/** The database, with its `query` calls counted (the watcher's looks). */
function counted(db: Database): { db: Database; looks: () => number } {
  let n = 0;
  const proxy = new Proxy(db, {
    get(target, key) {
      if (key === "query") return (...args: Parameters<Database["query"]>) => (n++, target.query(...args));
      const value = Reflect.get(target, key) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, looks: () => n };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await Bun.sleep(5);
};

describeDatabases("watching who blocks a migration", (target) => {
  test("the watcher looks again and again until stopped, and never after", async () => {
    const db = await target.fresh();
    const { db: watched, looks } = counted(db);
    const [me] = await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const watch = watchBlockers(watched, me!.pid, 5);
    await until(() => looks() >= 3);
    expect(await watch.stop()).toEqual([]);
    const after = looks();
    // Several intervals later: a stopped watcher has sent nothing more.
    for (let i = 0; i < 10; i++) await Bun.sleep(10);
    expect(looks()).toBe(after);
    expect(await blockingBackends(db, me!.pid)).toEqual([]);
  });
});

test("a blocker in words: pid, application, state, since when, and its query (or that it has none)", () => {
  const b = { pid: 42, applicationName: "psql", state: "idle in transaction", query: "", since: "2026-11-25T14:00:00.000Z" };
  expect(describeBlocker(b)).toBe('pid 42 ("psql", idle in transaction since 2026-11-25T14:00:00.000Z): (no query)');
  expect(describeBlocker({ ...b, since: null, query: "LOCK t" })).toBe('pid 42 ("psql", idle in transaction): LOCK t');
});
