import postgres from "postgres";
import { closeServerConnections, createServerDatabase, type ServerTestDatabase } from "./server-databases.ts";
import { serverUrl } from "./server-url.ts";
import { emptyingStatements, FIRST_NORMAL_OID, VOLATILE_CATALOGS } from "./empty-database.ts";

/**
 * Reused server test databases, within one suite of {@link describeDatabases}. `CREATE
 * DATABASE` and `DROP DATABASE` each wait for the server to write and sync a copy of the
 * template (0.3 to 1.5 s on a loaded 2-core machine); emptying a database a test used costs a
 * few statements. A disposed database is emptied ({@link resetServerDatabase}) and handed to
 * the suite's next test only when its catalogs then match those of a new database
 * ({@link serverFingerprint}); otherwise it is dropped. The suite's `afterAll` drops the idle
 * ones ({@link closeTestServer}), so none outlives its run.
 */
const idle = new Map<string, ServerTestDatabase[]>();
const pristine = new Map<string, Promise<string>>();

// Left out of the fingerprint besides VOLATILE_CATALOGS: the shared catalogs (roles, databases,
// their settings and comments), which change with every other database of the cluster. What
// this database holds of them is compared separately (its own row of pg_database and its settings).

const session = (url: string) => postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: `ydtb-test-db reset ${process.pid}` } });

/** An empty server database: one a finished test of this process used and that was emptied, else a new one. */
export async function takeServerDatabase(): Promise<ServerTestDatabase> {
  const base = serverUrl();
  if (!base) throw new Error("No PostgreSQL server: set TEST_DATABASE_URL or DATABASE_URL.");
  const reused = idle.get(base)?.pop();
  if (reused) return reused;
  const db = await createServerDatabase({ url: base });
  if (!pristine.has(base)) {
    const sql = session(db.url);
    const print = serverFingerprint(sql).finally(() => sql.end({ timeout: 2 }));
    pristine.set(base, print);
    // A failed first fingerprint is not kept: the next database tries again.
    print.catch(() => pristine.delete(base));
  }
  return db;
}

/**
 * Takes back a database from {@link takeServerDatabase}: emptied and kept for the next test
 * when that leaves it as a new one, else dropped.
 */
export async function returnServerDatabase(db: ServerTestDatabase): Promise<void> {
  const base = serverUrl();
  let clean = false;
  if (base && pristine.has(base)) {
    const sql = session(db.url);
    try {
      await endOtherSessions(sql);
      await resetServerDatabase(sql);
      clean = (await serverFingerprint(sql)) === (await pristine.get(base));
    } catch (error) {
      // A database whose reset failed (a session that would not end, an object in use) is not
      // reused: it is dropped below (WITH FORCE), as every test database was before pooling.
      clean = false;
      if (process.env.YDTB_TEST_DB_DEBUG) process.stderr.write(`ydtb-test-db: ${db.name} could not be emptied, dropping it: ${String(error)}\n`);
    } finally {
      await sql.end({ timeout: 2 });
    }
  }
  if (clean && base) {
    idle.set(base, [...(idle.get(base) ?? []), db]);
    return;
  }
  await db.drop();
}

/** Drops this process's idle test databases, then closes its server connections (see `closeServerConnections`). */
export async function closeTestServer(): Promise<void> {
  const all = [...idle.values()].flat();
  idle.clear();
  await Promise.all(all.map((db) => db.drop()));
  await closeServerConnections();
}

/** Ends every other session on this database (a child process a test killed, a pool left open). */
async function endOtherSessions(sql: postgres.Sql): Promise<void> {
  const rows = await sql<{ gone: boolean }[]>`
    SELECT pg_terminate_backend(pid, 10000) AS gone FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  if (rows.some((r) => !r.gone)) throw new Error("a session on the database did not end within 10 s");
}

/**
 * Empties a database a test used: drops every extension, event trigger, publication and schema
 * that `CREATE DATABASE` did not make; `public` is dropped and made again as initdb makes it.
 * Roles are the cluster's, shared with other databases, and are left alone (as they were when
 * each test's database was dropped).
 */
export async function resetServerDatabase(sql: postgres.Sql): Promise<void> {
  const names = async (text: string): Promise<string[]> => (await sql.unsafe<{ name: string }[]>(text)).map((r) => r.name);
  const statements = await emptyingStatements(names);
  await sql.unsafe(statements.join(";\n"));
}

/**
 * What must be equal between an emptied database and a new one: the row count of each of its
 * own catalogs (but {@link VOLATILE_CATALOGS}), its row of pg_database and its settings, and
 * the privileges and owners that a GRANT, REVOKE or ALTER on an object made by initdb changes
 * without adding a row.
 */
export async function serverFingerprint(sql: postgres.Sql): Promise<string> {
  const catalogs = (await names(sql, "SELECT relname AS name FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r' AND NOT relisshared ORDER BY relname")).filter((n) => !VOLATILE_CATALOGS.has(n));
  const counts = catalogs.map((c) => `SELECT '${c}' AS k, count(*)::text AS v FROM pg_catalog.${c}`);
  const details = [
    `SELECT 'nsp:' || nspname AS k, concat_ws('|', nspowner::regrole::text, nspacl::text, obj_description(oid, 'pg_namespace')) AS v FROM pg_namespace`,
    `SELECT 'db' AS k, concat_ws('|', datdba::regrole::text, datacl::text, datconnlimit, datallowconn, datistemplate) AS v FROM pg_database WHERE datname = current_database()`,
    `SELECT 'setting:' || setrole AS k, setconfig::text AS v FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    `SELECT 'relacl:' || oid AS k, relacl::text AS v FROM pg_class WHERE relacl IS NOT NULL AND oid < ${FIRST_NORMAL_OID}`,
    `SELECT 'proacl:' || oid AS k, proacl::text AS v FROM pg_proc WHERE proacl IS NOT NULL AND oid < ${FIRST_NORMAL_OID}`,
    `SELECT 'typacl:' || oid AS k, typacl::text AS v FROM pg_type WHERE typacl IS NOT NULL AND oid < ${FIRST_NORMAL_OID}`,
    `SELECT 'lanacl:' || oid AS k, lanacl::text AS v FROM pg_language WHERE lanacl IS NOT NULL`,
  ];
  const rows = await sql.unsafe<{ k: string; v: string | null }[]>(`${[...counts, ...details].join("\nUNION ALL\n")} ORDER BY 1`);
  return rows.map((r) => `${r.k}=${r.v ?? ""}`).join("\n");
}

async function names(sql: postgres.Sql, text: string): Promise<string[]> {
  return (await sql.unsafe<{ name: string }[]>(text)).map((r) => r.name);
}
