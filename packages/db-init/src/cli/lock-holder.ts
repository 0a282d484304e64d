import type { Database } from "@ydtb/db-client";
import { HISTORY_TABLE } from "@ydtb/db-migrate";

/**
 * Who holds the migration lock of this database right now, in words, or undefined when it is
 * free (server only: on PGlite the lock is in-process). The key is the engine's:
 * `hashtextextended(current_database() || ':' || historyTable, 0)`.
 *
 * @example
 * const holder = await migrationLockHolder(db);
 * if (holder) console.error(`waiting for the migration lock, held by ${holder}`);
 */
export async function migrationLockHolder(db: Database, historyTable: string = HISTORY_TABLE): Promise<string | undefined> {
  if (db.kind !== "postgres") return undefined;
  const rows = await db.query<{ pid: number; application_name: string; client_addr: string | null; state: string; query: string }>(
    `WITH k AS (SELECT hashtextextended(current_database() || ':' || $1::text, 0) AS key)
     SELECT a.pid, a.application_name, a.client_addr::text AS client_addr, a.state, left(a.query, 120) AS query
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid, k
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid = ((k.key >> 32) & 4294967295)::oid AND l.objid = (k.key & 4294967295)::oid`,
    [historyTable],
  );
  const h = rows[0];
  if (!h) return undefined;
  return `PostgreSQL backend pid ${h.pid} (application "${h.application_name}", client ${h.client_addr ?? "local socket"}, ${h.state}: ${h.query.replace(/\s+/g, " ")})`;
}
