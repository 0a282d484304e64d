// What the PGlite pool and the server pool share to empty a database a test used and to tell
// whether it is then like a new one.

// Catalogs left out of the fingerprints, with why:
// - pg_statistic, pg_statistic_ext_data: planner statistics (an ANALYZE of the catalogs adds rows);
//   they change plans, never results.
// - pg_init_privs: the public schema's "initial privileges" row (read only by pg_dump) goes with
//   the schema the reset drops and recreates, and cannot be written back.
export const VOLATILE_CATALOGS = new Set(["pg_statistic", "pg_statistic_ext_data", "pg_init_privs"]);

/** Objects with OIDs below this were made by initdb (PostgreSQL's FirstNormalObjectId). */
export const FIRST_NORMAL_OID = 16384;

/** A quoted SQL identifier. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * The statements that drop every extension, event trigger, publication and schema initdb (or
 * `CREATE DATABASE`) did not make, and make `public` again as initdb makes it. `names` runs a
 * query returning a `name` column on the database to empty.
 *
 * @example
 * await pg.exec((await emptyingStatements(names)).join(";\n"));
 */
export async function emptyingStatements(names: (sql: string) => Promise<string[]>): Promise<string[]> {
  const statements: string[] = [];
  for (const e of await names(`SELECT extname AS name FROM pg_extension WHERE oid >= ${FIRST_NORMAL_OID}`)) statements.push(`DROP EXTENSION IF EXISTS ${ident(e)} CASCADE`);
  for (const t of await names(`SELECT evtname AS name FROM pg_event_trigger`)) statements.push(`DROP EVENT TRIGGER IF EXISTS ${ident(t)} CASCADE`);
  for (const p of await names(`SELECT pubname AS name FROM pg_publication`)) statements.push(`DROP PUBLICATION IF EXISTS ${ident(p)} CASCADE`);
  const schemas = await names(
    `SELECT nspname AS name FROM pg_namespace
      WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
        AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`,
  );
  for (const s of schemas) statements.push(`DROP SCHEMA IF EXISTS ${ident(s)} CASCADE`);
  statements.push(
    "CREATE SCHEMA public AUTHORIZATION pg_database_owner",
    "GRANT USAGE ON SCHEMA public TO PUBLIC",
    "COMMENT ON SCHEMA public IS 'standard public schema'",
  );
  return statements;
}
