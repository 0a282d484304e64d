import type { Connection, Database } from "@ydtb/db-client";
import { LockReleaseError, LockTimeoutError } from "../errors/run-errors.ts";
import { HISTORY_TABLE } from "../history/history-schema.ts";
import { advisoryLock } from "./advisory-lock.ts";
import { countQueries, type QueryCounter } from "./counting-session.ts";
import type { MigrationLockAdapter } from "./lock-adapter.ts";

/** Default time to wait for another migrator, in ms. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** Options of {@link withMigrationLock}. */
export interface MigrationLockOptions {
  /** Default {@link DEFAULT_LOCK_TIMEOUT_MS}. */
  readonly lockTimeoutMs?: number;
  /** Names the lock together with the database. Default `HISTORY_TABLE`. */
  readonly historyTable?: string;
  /** Counts the queries sent, the lock's included. */
  readonly counter?: QueryCounter;
}

/**
 * Runs `fn` on one connection while holding the migration lock, released on every path.
 *
 * PostgreSQL ({@link advisoryLock}): a session advisory lock keyed by the database and
 * `historyTable`, waited for with `lock_timeout` (no polling); 2 round trips.
 * PGlite (one connection): the database's in-process connection mutex is the lock, waited for
 * at most `lockTimeoutMs`; 0 round trips.
 *
 * If `fn` throws, that error is rethrown after the release; if the release fails,
 * `LockReleaseError` is thrown instead, with the release error as `cause` and `fn`'s error
 * (if any) as `runError`.
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
  const lock: MigrationLockAdapter = advisoryLock(options.historyTable ?? HISTORY_TABLE, timeoutMs);
  return db.withConnection(async (raw) => {
    const conn = countQueries(raw, counter);
    await lock.acquire(conn);
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await fn(conn) };
    } catch (error) {
      // Kept to rethrow after the release below, which must happen first.
      outcome = { ok: false, error };
    }
    try {
      await lock.release(conn);
    } catch (releaseError) {
      throw new LockReleaseError(lock.description, outcome.ok ? undefined : outcome.error, { cause: releaseError });
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
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
