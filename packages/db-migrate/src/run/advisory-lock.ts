import type { Connection } from "@ydtb/db-client";
import { LockTimeoutError } from "../errors/run-errors.ts";
import type { MigrationLockAdapter } from "./lock-adapter.ts";
import { postgresError } from "@ydtb/db-client";

/** SQLSTATE of `lock_timeout` expiring. */
const LOCK_NOT_AVAILABLE = "55P03";

/**
 * The PostgreSQL migration lock: a session advisory lock keyed by
 * `hashtextextended(current_database() || ':' || name, 0)` (PostgreSQL already scopes advisory
 * locks to their database: the database's name in the key is redundant, and harmless).
 * `acquire` sends `SET LOCAL lock_timeout` and `pg_advisory_lock` in one simple-protocol
 * message: its implicit transaction scopes the timeout to the wait (the session's own
 * `lock_timeout`, which the migrations' statements see, is untouched) while the session lock
 * outlives it. The server wakes the waiter when the holder releases: no polling. `release`
 * unlocks explicitly (a session lock survives the connection's return to the pool) and throws
 * if this session did not hold it.
 *
 * @example
 * const lock = advisoryLock("ydtb_schema_history", 60_000);
 * await lock.acquire(conn); try { ... } finally { await lock.release(conn); }
 */
export function advisoryLock(name: string, timeoutMs: number): MigrationLockAdapter {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`lock name "${name}" must be a lower-case SQL identifier`);
  const key = `hashtextextended(current_database() || ':${name}', 0)`;
  return {
    description: `advisory lock "${name}" of this database`,
    async acquire(conn) {
      try {
        await conn.exec(`SET LOCAL lock_timeout = '${Math.max(1, Math.ceil(timeoutMs))}ms'; SELECT pg_advisory_lock(${key})`);
      } catch (error) {
        if (postgresError(error)?.code !== LOCK_NOT_AVAILABLE) throw error;
        throw new LockTimeoutError(timeoutMs, await describeHolder(conn, name), { cause: error });
      }
    },
    async release(conn) {
      const [row] = await conn.query<{ released: boolean }>(`SELECT pg_advisory_unlock(${key}) AS released`);
      if (row?.released !== true) throw new Error(`pg_advisory_unlock returned false: this session did not hold the ${name} lock`);
    },
  };
}

/** Who holds the advisory lock `name`, in words, for the timeout message. */
export async function describeHolder(conn: Connection, name: string): Promise<string> {
  try {
    const rows = await conn.query<{ pid: number; application_name: string; client_addr: string | null; backend_start: Date; state: string; query: string }>(
      `SELECT a.pid, a.application_name, a.client_addr::text AS client_addr, a.backend_start, a.state, left(a.query, 200) AS query
       FROM (SELECT hashtextextended(current_database() || ':' || $1::text, 0) AS k) s
       JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
         AND l.classid = ((s.k >> 32) & 4294967295)::oid AND l.objid = (s.k & 4294967295)::oid
       JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [name],
    );
    const h = rows[0];
    if (!h) return "a session that released it as we looked";
    const since = h.backend_start instanceof Date ? h.backend_start.toISOString() : String(h.backend_start);
    return `PostgreSQL backend pid ${h.pid} (application "${h.application_name}", client ${h.client_addr ?? "local socket"}, connected since ${since}, state ${h.state}, last query: ${h.query.replace(/\s+/g, " ")}); stop it with SELECT pg_terminate_backend(${h.pid}) if it is stuck`;
  } catch (error) {
    // The timeout is the error to report; who holds the lock is a courtesy in its message.
    return `an unknown session (pg_locks could not be read: ${(error as Error).message})`;
  }
}
