import type { Connection, Database } from "@ydtb/db-client";
import { LockTimeoutError } from "./errors.ts";
import { countQueries, type QueryCounter } from "./counting-session.ts";
import { HISTORY_TABLE } from "./history-tables.ts";

/** Default time to wait for another migrator, in ms. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** How often a waiting migrator asks for the PostgreSQL lock again, in ms. */
export const LOCK_POLL_INTERVAL_MS = 100;

/** Options of {@link withMigrationLock}. */
export interface MigrationLockOptions {
  /** Default {@link DEFAULT_LOCK_TIMEOUT_MS}. */
  readonly lockTimeoutMs?: number;
  /** Names the lock together with the database. Default {@link HISTORY_TABLE}. */
  readonly historyTable?: string;
  /** Counts the queries sent, the lock's included. */
  readonly counter?: QueryCounter;
}

/**
 * Runs `fn` on one connection while holding the migration lock, released on every path.
 *
 * PostgreSQL: a session advisory lock whose key is `hashtextextended(current_database() || ':' ||
 * historyTable, 0)`, polled with `pg_try_advisory_lock` every {@link LOCK_POLL_INTERVAL_MS} until
 * `lockTimeoutMs`, then `LockTimeoutError` naming the holder (from `pg_locks` ⨝ `pg_stat_activity`).
 * `fn` must run everything on the connection it gets: that is where the lock lives.
 * PGlite (one connection): the database's in-process connection mutex, waited for at most
 * `lockTimeoutMs`.
 *
 * @example
 * await withMigrationLock(db, { lockTimeoutMs: 5_000 }, async (conn) => {
 *   await conn.transaction(async (tx) => { ... });
 * });
 */
export async function withMigrationLock<T>(db: Database, options: MigrationLockOptions, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const timeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const counter = options.counter ?? { count: 0 };
  if (db.kind === "pglite") return withPgliteMutex(db, timeoutMs, (conn) => fn(countQueries(conn, counter)));
  const historyTable = options.historyTable ?? HISTORY_TABLE;
  return db.withConnection(async (raw) => {
    const conn = countQueries(raw, counter);
    const deadline = Date.now() + timeoutMs;
    const [first] = await conn.query<{ key: string; locked: boolean }>(
      `SELECT s.k::text AS "key", pg_try_advisory_lock(s.k) AS "locked" FROM (SELECT hashtextextended(current_database() || ':' || $1::text, 0) AS k) s`,
      [historyTable],
    );
    const key = first!.key;
    let locked = first!.locked;
    while (!locked) {
      const left = deadline - Date.now();
      if (left <= 0) throw new LockTimeoutError(timeoutMs, await describeHolder(conn, key));
      await Bun.sleep(Math.min(LOCK_POLL_INTERVAL_MS, left));
      const [row] = await conn.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock($1::bigint) AS "locked"`, [key]);
      locked = row?.locked === true;
    }
    try {
      return await fn(conn);
    } finally {
      // A session lock survives the connection going back to the pool: unlock explicitly.
      // If the connection is broken the server has already dropped the lock with it.
      await conn.query(`SELECT pg_advisory_unlock($1::bigint)`, [key]).catch(() => {});
    }
  });
}

async function withPgliteMutex<T>(db: Database, timeoutMs: number, fn: (conn: Connection) => Promise<T>): Promise<T> {
  let abandoned = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandoned = true;
      reject(new LockTimeoutError(timeoutMs, `another migration in this process on ${db.label} (PGlite has one connection, serialised in-process)`));
    }, timeoutMs);
  });
  const run = db.withConnection(async (conn) => {
    // Our turn came after we gave up: hand the connection straight back.
    if (abandoned) return undefined as T;
    clearTimeout(timer);
    return fn(conn);
  });
  try {
    return await Promise.race([run, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Who holds the advisory lock `key`, in words, for the timeout message. */
export async function describeHolder(conn: Connection, key: string): Promise<string> {
  try {
    const rows = await conn.query<{ pid: number; application_name: string; client_addr: string | null; backend_start: Date; state: string; query: string }>(
      `SELECT a.pid, a.application_name, a.client_addr::text AS client_addr, a.backend_start, a.state, left(a.query, 200) AS query
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND l.classid = ((($1::bigint) >> 32) & 4294967295)::oid AND l.objid = (($1::bigint) & 4294967295)::oid`,
      [key],
    );
    const h = rows[0];
    if (!h) return "a session that released it as we looked";
    const since = h.backend_start instanceof Date ? h.backend_start.toISOString() : String(h.backend_start);
    return `PostgreSQL backend pid ${h.pid} (application "${h.application_name}", client ${h.client_addr ?? "local socket"}, connected since ${since}, state ${h.state}, last query: ${h.query.replace(/\s+/g, " ")}); stop it with SELECT pg_terminate_backend(${h.pid}) if it is stuck`;
  } catch (error) {
    return `an unknown session (pg_locks could not be read: ${(error as Error).message})`;
  }
}
