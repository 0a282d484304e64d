import type { Connection } from "@ydtb/db-client";

/**
 * The migration lock contract, one implementation per database kind (as kysely's
 * `DialectAdapter.acquireMigrationLock` / `releaseMigrationLock`):
 *
 * - `acquire(conn)` returns once this session holds the lock, waiting at most the timeout it
 *   was made with and without polling; past it, it throws `LockTimeoutError` naming the holder.
 * - Everything under the lock runs on `conn`: that is where the lock lives.
 * - `release(conn)` is called exactly once after a successful `acquire`, on every path
 *   (success, failure, refusal). It throws when the lock could not be released (the caller
 *   surfaces it as `LockReleaseError`, never swallows it).
 * - A lock dies with its session: a killed migrator never leaves it behind.
 *
 * Implementations: `advisoryLock` (PostgreSQL). PGlite has one connection, so the database's
 * in-process connection mutex, held for the whole of `withMigrationLock`, is its lock.
 */
export interface MigrationLockAdapter {
  /** In words, for messages: what is locked. */
  readonly description: string;
  acquire(conn: Connection): Promise<void>;
  release(conn: Connection): Promise<void>;
}
