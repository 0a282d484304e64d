import type { SqlSession } from "@ydtb/db-client";
import { drizzle, type PgRemoteDatabase } from "drizzle-orm/pg-proxy";

const cache = new WeakMap<SqlSession, PgRemoteDatabase>();

/**
 * A Drizzle database that sends every query through `session` (`query()` with parameters),
 * so the bookkeeping is written with Drizzle's query builder yet runs on the session the
 * engine chose — the locked connection, or the migration's own transaction — and is counted
 * by `countQueries`.
 *
 * @example
 * const rows = await bookkeepingDb(conn).select().from(tables.versions);
 */
export function bookkeepingDb(session: SqlSession): PgRemoteDatabase {
  let db = cache.get(session);
  if (!db) {
    db = drizzle(async (text, params, method) => {
      const rows = await session.query(text, params);
      // "all" wants each row as its values in select order (drizzle maps them to fields).
      return { rows: method === "all" ? rows.map((r) => Object.values(r)) : rows };
    });
    cache.set(session, db);
  }
  return db;
}
