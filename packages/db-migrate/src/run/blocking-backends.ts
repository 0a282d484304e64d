import type { Database } from "@ydtb/db-client";
import type { BlockingBackend } from "../model/run-result.ts";

/**
 * The backends blocking `pid` (from `pg_blocking_pids` ⨝ `pg_stat_activity`). Runs on `db`,
 * not on the waiting connection.
 *
 * @example
 * const blockers = await blockingBackends(db, migratorPid);
 */
export async function blockingBackends(db: Database, pid: number): Promise<BlockingBackend[]> {
  const rows = await db.query<{ pid: number; application_name: string; state: string | null; query: string; since: Date | string | null }>(
    `SELECT a.pid, a.application_name, a.state, left(a.query, 200) AS query, coalesce(a.xact_start, a.query_start) AS since
     FROM pg_stat_activity a WHERE a.pid = ANY(pg_blocking_pids($1::int)) ORDER BY a.pid`,
    [pid],
  );
  return rows.map((r) => ({
    pid: r.pid,
    applicationName: r.application_name,
    state: r.state ?? "unknown",
    query: r.query.replace(/\s+/g, " ").trim(),
    since: r.since === null ? null : r.since instanceof Date ? r.since.toISOString() : String(r.since),
  }));
}

/** How long `stop()` waits for a look at the blockers that is under way, in ms. */
export const STOP_WAIT_MS = 250;

/**
 * Watches who blocks `pid` while a migration runs, every `everyMs`, keeping the last non-empty
 * answer: after a lock timeout the wait is over and `pg_blocking_pids` is empty, so the
 * blockers must be read while it lasts. `stop()` ends the watch and returns them.
 *
 * @example
 * const watch = watchBlockers(db, pid, 250);
 * try { await run(); } finally { blockers = await watch.stop(); }
 */
export function watchBlockers(db: Database, pid: number, everyMs: number): { stop(): Promise<BlockingBackend[]> } {
  let last: BlockingBackend[] = [];
  let stopped = false;
  let pending: Promise<void> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    pending = blockingBackends(db, pid)
      .then((found) => {
        if (found.length > 0) last = found;
      })
      // A failed look (the pool is busy or closing) leaves the last answer: the next tick tries again.
      .catch(() => undefined)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(tick, everyMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // A look in flight may still answer; wait for it briefly, never for a pool connection
      // the migration itself holds (a pool of one would wait for ever).
      await Promise.race([pending, Bun.sleep(STOP_WAIT_MS)]);
      return last;
    },
  };
}

/**
 * A blocker in words, for messages.
 *
 * @example
 * describeBlocker(b) // 'pid 4242 ("psql", idle in transaction since 2026-11-25T14:00:00.000Z): SELECT …'
 */
export function describeBlocker(b: BlockingBackend): string {
  return `pid ${b.pid} ("${b.applicationName}", ${b.state}${b.since ? ` since ${b.since}` : ""}): ${b.query || "(no query)"}`;
}
