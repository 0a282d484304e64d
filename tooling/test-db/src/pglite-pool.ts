import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { emptyingStatements, FIRST_NORMAL_OID, ident, VOLATILE_CATALOGS } from "./empty-database.ts";
import { emptyPgliteSnapshot, pgliteVersion, SNAPSHOT_CACHE_DIR } from "./pglite-snapshot.ts";

/**
 * Reused PGlite instances. Starting a PGlite, even from the empty snapshot, costs about 1.5 s
 * of CPU on a loaded 2-core machine (untarring 40 MB into its in-memory file system, then
 * crash recovery); emptying one that a test used costs a few milliseconds. So a test's
 * PGlite, once disposed, is emptied ({@link resetPglite}) and handed to the next test of the
 * process — but only when its catalogs then match those of a newly started one
 * ({@link catalogFingerprint}); anything the reset did not undo closes it instead.
 */
const idle: PGlite[] = [];
let pristine: Promise<string> | undefined;

/** An empty PGlite: an idle one when there is one, else one started from the empty snapshot. */
export async function takePglite(): Promise<PGlite> {
  const reused = idle.pop();
  if (reused) return reused;
  const pg = await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() });
  pristine ??= cachedFingerprint(pg);
  await pristine;
  return pg;
}

/**
 * The fingerprint of a new PGlite, kept beside the snapshot (keyed by the PGlite version and by
 * the text of {@link catalogFingerprint}, so a changed fingerprint is never compared with an
 * old one), else computed on `pg`, which no test has touched yet.
 */
async function cachedFingerprint(pg: PGlite): Promise<string> {
  const key = Bun.hash(catalogFingerprint.toString() + resetPglite.toString()).toString(36);
  const file = join(SNAPSHOT_CACHE_DIR, `empty-pglite-${pgliteVersion()}-${key}.fingerprint`);
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    // Not cached yet (ENOENT) is the expected case: computed and written below; anything else is a fault.
    if ((error as { code?: string }).code !== "ENOENT") throw new Error(`reading ${file} failed`, { cause: error });
  }
  const print = await catalogFingerprint(pg);
  mkdirSync(SNAPSHOT_CACHE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, print);
  renameSync(partial, file);
  return print;
}

/**
 * Takes back a PGlite from {@link takePglite}: emptied and kept for the next test when that
 * leaves it as a new one, else closed.
 */
export async function returnPglite(pg: PGlite): Promise<void> {
  if (pg.closed) return;
  let clean = false;
  try {
    await resetPglite(pg);
    clean = (await catalogFingerprint(pg)) === (await pristine);
  } catch (error) {
    // A test may leave its PGlite unusable (closed, aborted mid-protocol): such an instance is
    // not reused; it is closed below and the next test gets a new one.
    clean = false;
    if (process.env.YDTB_TEST_DB_DEBUG) process.stderr.write(`ydtb-test-db: a PGlite could not be emptied, closing it: ${String(error)}\n`);
  }
  if (clean) {
    idle.push(pg);
    return;
  }
  await pg.close();
}

/** Closes the idle instances (a process's last test is done with them). */
export async function closeIdlePglites(): Promise<void> {
  await Promise.all(idle.splice(0).map((pg) => pg.close()));
}

/**
 * Empties a PGlite a test used: ends its session state (open transaction, role, settings,
 * prepared statements, temporary tables, advisory locks, listeners) and drops every extension,
 * event trigger, publication, schema and role that initdb did not make; `public` is dropped and
 * made again as initdb makes it.
 */
export async function resetPglite(pg: PGlite): Promise<void> {
  const quiet = { onNotice: () => {} };
  // Outside a transaction ROLLBACK only warns; inside one (even an aborted one) it ends it.
  await pg.exec("ROLLBACK", quiet);
  await pg.exec("DISCARD ALL", quiet);
  const names = async (sql: string): Promise<string[]> => (await pg.query<{ name: string }>(sql)).rows.map((r) => r.name);
  const statements = await emptyingStatements(names);
  const roles = await names(`SELECT rolname AS name FROM pg_authid WHERE oid >= ${FIRST_NORMAL_OID}`);
  if (roles.length > 0) {
    statements.push(`DROP OWNED BY ${roles.map(ident).join(", ")} CASCADE`);
    for (const r of roles) statements.push(`DROP ROLE IF EXISTS ${ident(r)}`);
  }
  await pg.exec(statements.join(";\n"), quiet);
}

/**
 * What must be equal between an emptied PGlite and a new one: the row count of every catalog
 * (but {@link VOLATILE_CATALOGS}), and the privileges, owners and settings that a GRANT, REVOKE,
 * ALTER or COMMENT on an object initdb made would change without adding a row.
 */
export async function catalogFingerprint(pg: PGlite): Promise<string> {
  const catalogs = (await pg.query<{ name: string }>("SELECT relname AS name FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r' ORDER BY relname")).rows
    .map((r) => r.name)
    .filter((name) => !VOLATILE_CATALOGS.has(name));
  const counts = catalogs.map((c) => `SELECT '${c}' AS k, count(*)::text AS v FROM pg_catalog.${c}`);
  const details = [
    `SELECT 'nsp:' || nspname AS k, concat_ws('|', nspowner::regrole::text, nspacl::text, obj_description(oid, 'pg_namespace')) AS v FROM pg_namespace`,
    `SELECT 'db:' || datname AS k, concat_ws('|', datdba::regrole::text, datacl::text, datconnlimit, datallowconn, datistemplate, shobj_description(oid, 'pg_database')) AS v FROM pg_database`,
    `SELECT 'role:' || rolname AS k, concat_ws('|', rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil, rolpassword IS NULL, shobj_description(oid, 'pg_authid')) AS v FROM pg_authid`,
    `SELECT 'setting:' || setdatabase || ':' || setrole AS k, setconfig::text AS v FROM pg_db_role_setting`,
    `SELECT 'relacl:' || oid AS k, relacl::text AS v FROM pg_class WHERE relacl IS NOT NULL AND oid < ${FIRST_NORMAL_OID}`,
    `SELECT 'proacl:' || oid AS k, proacl::text AS v FROM pg_proc WHERE proacl IS NOT NULL AND oid < ${FIRST_NORMAL_OID}`,
    `SELECT 'typacl:' || oid AS k, typacl::text AS v FROM pg_type WHERE typacl IS NOT NULL AND oid < ${FIRST_NORMAL_OID}`,
    `SELECT 'lanacl:' || oid AS k, lanacl::text AS v FROM pg_language WHERE lanacl IS NOT NULL`,
    `SELECT 'file:' || sourcefile || ':' || name AS k, setting AS v FROM pg_file_settings`,
  ];
  const rows = (await pg.query<{ k: string; v: string | null }>(`${[...counts, ...details].join("\nUNION ALL\n")} ORDER BY 1`)).rows;
  return rows.map((r) => `${r.k}=${r.v ?? ""}`).join("\n");
}
