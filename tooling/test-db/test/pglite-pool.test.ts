import { afterAll, expect, test } from "bun:test";
import { PGlite } from "@electric-sql/pglite";
import { catalogFingerprint, closeIdlePglites, emptyPgliteSnapshot, resetPglite, returnPglite, takePglite } from "../src/index.ts";

afterAll(closeIdlePglites);

/** Everything a test can leave behind that a reset must undo: committed objects, then session state and an open transaction. */
async function leaveLeftovers(pg: PGlite): Promise<void> {
  await pg.exec(LEFTOVERS);
  // Separately: a BEGIN inside the script above would make all of it one open transaction, which ROLLBACK alone undoes.
  await pg.exec(`CREATE TEMP TABLE scratch (id int); SET search_path = app; SELECT pg_advisory_lock(1); BEGIN; INSERT INTO public.notes (body) VALUES ('in a transaction left open');`);
}

const LEFTOVERS = `
  CREATE ROLE ydtb_app NOLOGIN;
  CREATE SCHEMA app AUTHORIZATION ydtb_app;
  CREATE TABLE public.notes (id serial PRIMARY KEY, body text);
  CREATE TABLE app.tags (id int REFERENCES public.notes (id));
  CREATE TYPE public.mood AS ENUM ('ok');
  CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
  CREATE VIEW public.v AS SELECT * FROM public.notes;
  ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
  CREATE POLICY p ON public.notes USING (true);
  GRANT SELECT ON public.notes TO ydtb_app;
  COMMENT ON TABLE public.notes IS 'x';`;

test("an emptied PGlite has the catalogs of a new one, whatever the test left behind", async () => {
  const fresh = await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() });
  const used = await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() });
  try {
    const pristine = await catalogFingerprint(fresh);
    await leaveLeftovers(used);
    expect(await catalogFingerprint(used)).not.toBe(pristine);
    await resetPglite(used);
    expect(await catalogFingerprint(used)).toBe(pristine);
    const session = "SELECT current_setting('search_path') AS path, current_user AS who, (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory') AS locks";
    expect((await used.query(session)).rows).toEqual((await fresh.query(session)).rows);
  } finally {
    await Promise.all([fresh.close(), used.close()]);
  }
});

test("a returned PGlite is handed to the next taker empty", async () => {
  const first = await takePglite();
  await leaveLeftovers(first);
  await returnPglite(first);
  const second = await takePglite();
  try {
    expect(second).toBe(first);
    const tables = await second.query("SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')");
    expect(tables.rows).toEqual([]);
    expect((await second.query("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'ydtb_app'")).rows).toEqual([{ n: 0 }]);
  } finally {
    await returnPglite(second);
  }
});

test("a PGlite the reset cannot bring back to new is closed, and the next taker gets another", async () => {
  const first = await takePglite();
  // A privilege taken from an object initdb made: no DROP undoes it, the fingerprint sees it.
  await first.exec("REVOKE EXECUTE ON FUNCTION pg_catalog.now() FROM PUBLIC");
  await returnPglite(first);
  expect(first.closed).toBe(true);
  const second = await takePglite();
  try {
    expect(second).not.toBe(first);
    expect((await second.query("SELECT has_function_privilege('public', 'pg_catalog.now()', 'EXECUTE') AS ok")).rows).toEqual([{ ok: true }]);
  } finally {
    await returnPglite(second);
  }
});

test("a PGlite closed by its test is not handed out again", async () => {
  const first = await takePglite();
  await first.close();
  await returnPglite(first);
  const second = await takePglite();
  try {
    expect(second).not.toBe(first);
    expect(second.closed).toBe(false);
  } finally {
    await returnPglite(second);
  }
});
