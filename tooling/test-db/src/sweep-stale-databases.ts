import type postgres from "postgres";

/** Every test database's name starts with this (the bench's start with `ydtb_bench_`). */
export const TEST_DATABASE_PREFIX = "ydtb_test_";

/** Every database this helper makes, whatever its prefix, starts with this. */
export const GUARDED_DATABASE_PREFIX = "ydtb_";

/** The first key of the advisory lock (`pg_advisory_lock(class, hashtext(name))`) a creator holds. */
export const TEST_DATABASE_LOCK_CLASS = 0x79647462; // "ydtb"

/**
 * The comment on a database created by this helper. Only databases carrying it are ever swept:
 * a `ydtb_test_*` database made some other way (an older helper, a person) is never touched.
 */
export const TEST_DATABASE_COMMENT = "ydtb-test-db: dropped by its creator, or swept once the lock of its creator is free";

/** What {@link sweepStaleDatabases} did. */
export interface SweepResult {
  readonly dropped: readonly string[];
  /** Abandoned, but not dropped: someone is connected to it (or a drop raced with another sweep). */
  readonly kept: readonly string[];
}

/**
 * Drops the test databases an interrupted run left behind, and only those that are provably
 * abandoned: created by this helper (their comment), their creator's advisory lock free in
 * every database of the cluster (the creator's session is gone), no session connected to them.
 * The sweep takes the lock itself before dropping, so two sweeps never drop the same database
 * and a database is never dropped while its creator lives — other test runs can share the server.
 *
 * @example
 * // `locks`: a one-connection pool, so the session lock and its unlock share a session.
 * const { dropped } = await sweepStaleDatabases(admin, locks);
 */
export async function sweepStaleDatabases(admin: postgres.Sql, locks: postgres.Sql): Promise<SweepResult> {
  const candidates = await admin<{ name: string }[]>`
    SELECT d.datname AS name
      FROM pg_database d
     WHERE d.datname LIKE ${`${GUARDED_DATABASE_PREFIX}%`}
       AND shobj_description(d.oid, 'pg_database') = ${TEST_DATABASE_COMMENT}
       AND NOT EXISTS (SELECT 1 FROM pg_locks l
                        WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
                          AND l.classid = ${TEST_DATABASE_LOCK_CLASS}::oid
                          AND l.objid = (hashtext(d.datname)::int8 & 4294967295)::oid)
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`;
  const dropped: string[] = [];
  const kept: string[] = [];
  for (const { name } of candidates) {
    const [claim] = await locks<{ ok: boolean }[]>`SELECT pg_try_advisory_lock(${TEST_DATABASE_LOCK_CLASS}, hashtext(${name})) AS ok`;
    if (!claim?.ok) {
      kept.push(name);
      continue;
    }
    try {
      // Not WITH (FORCE): a database someone connected to since the check is left alone.
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}"`);
      dropped.push(name);
    } catch (error) {
      // 55006 (in use by other sessions) is the case the sweep must respect; anything else is a fault.
      if ((error as { code?: string }).code !== "55006") throw new Error(`sweeping the stale test database "${name}" failed`, { cause: error });
      kept.push(name);
    } finally {
      await locks`SELECT pg_advisory_unlock(${TEST_DATABASE_LOCK_CLASS}, hashtext(${name}))`;
    }
  }
  return { dropped, kept };
}
