import { expect, test } from "bun:test";
import postgres from "postgres";
import { closeTestServer, describeServer, serverUrl } from "../src/index.ts";
import { returnServerDatabase, takeServerDatabase } from "../src/server-pool.ts";

const connect = (url: string) => postgres(url, { max: 1, onnotice: () => {} });

describeServer("pooled server databases", () => {
  test("a returned database is emptied and handed out again; one that cannot be brought back to new is dropped; the idle ones are dropped at the end", async () => {
    const admin = connect(serverUrl()!);
    const role = `ydtb_pool_probe_${process.pid}`;
    const exists = async (name: string) => (await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`).length === 1;
    try {
      await admin.unsafe(`CREATE ROLE "${role}" NOLOGIN`);
      const first = await takeServerDatabase();
      const used = connect(first.url);
      await used.unsafe(`
        CREATE SCHEMA app AUTHORIZATION "${role}";
        CREATE TABLE public.notes (id serial PRIMARY KEY, body text);
        CREATE TABLE app.tags (id int REFERENCES public.notes (id));
        CREATE TYPE public.mood AS ENUM ('ok');
        CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
        CREATE VIEW public.v AS SELECT * FROM public.notes;
        ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
        CREATE POLICY p ON public.notes USING (true);
        GRANT SELECT ON public.notes TO "${role}";
        CREATE EXTENSION IF NOT EXISTS pg_trgm;`);
      // Left open, as a killed child's session would be: the reset ends it.
      await returnServerDatabase(first);

      const second = await takeServerDatabase();
      expect(second.name).toBe(first.name);
      const fresh = connect(second.url);
      try {
        expect((await fresh`SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`).length).toBe(0);
        expect((await fresh`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`).length).toBe(0);
        expect((await fresh`SELECT nspname FROM pg_namespace WHERE nspname = 'app'`).length).toBe(0);
        // A privilege taken from an object CREATE DATABASE made: no DROP undoes it.
        await fresh`REVOKE EXECUTE ON FUNCTION pg_catalog.now() FROM PUBLIC`;
      } finally {
        await fresh.end({ timeout: 2 });
      }
      await returnServerDatabase(second);
      expect(await exists(second.name)).toBe(false);

      const third = await takeServerDatabase();
      expect(third.name).not.toBe(second.name);
      await returnServerDatabase(third);
      expect(await exists(third.name)).toBe(true);
      await closeTestServer();
      expect(await exists(third.name)).toBe(false);
      await used.end({ timeout: 2 });
    } finally {
      await admin.unsafe(`DROP ROLE IF EXISTS "${role}"`);
      await admin.end({ timeout: 2 });
    }
  });
});
