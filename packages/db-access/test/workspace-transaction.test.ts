// withWorkspace's own transaction: how it is opened (one message on the server, one exec on
// PGlite), savepoints, the caller's schema, options, and every way it can end.
import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { pgTable, text, varchar } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { PGlite } from "@electric-sql/pglite";
import { openDatabase, type Database } from "@ydtb/db-client";
import { postgresError } from "@ydtb/db-client/postgres-error";
import { migrate } from "@ydtb/db-migrate";
import { describeDatabases, type TestDatabase } from "@ydtb/test-db";
import type { Pool } from "pg";
import { DbAccessError, withWorkspace } from "../src/index.ts";
import { registeredManifests, rowsOf } from "./registry-seed.ts";

// The caller's own schema, as a package would declare it (db-access cannot import @ydtb/basic).
const notes = pgTable("ydtb_basic_notes", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").notNull(), title: text("title").notNull() });

async function migrated(db: TestDatabase, ...workspaces: string[]): Promise<void> {
  await migrate(db, await registeredManifests());
  for (const ws of workspaces) await db.query(`INSERT INTO ydtb_workspaces (id, name, slug) SELECT w, w, md5(w) FROM (SELECT $1::text AS w) s`, [ws]);
}

const titles = (tx: { execute: (q: ReturnType<typeof sql>) => Promise<unknown> }) => tx.execute(sql`SELECT title FROM ydtb_basic_notes ORDER BY title`).then((r) => rowsOf<{ title: string }>(r).map((x) => x.title));

async function failure(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

/** The driver client under a db-client database's Drizzle handle (node-postgres Pool or PGlite). */
const clientOf = (db: Database) => (db.orm as unknown as { $client: Pool | PGlite }).$client;

/** A pool of one on the server (a client not given back makes the next call wait forever); PGlite as is. */
async function poolOfOne(db: TestDatabase): Promise<Database> {
  return db.url ? openDatabase({ url: db.url, max: 1 }) : db;
}

describeDatabases("withWorkspace's transaction", (target) => {
  test("opens with one message on the server and one exec on PGlite: BEGIN, role and workspace together", async () => {
    const db = await target.fresh();
    await migrated(db, "ws_a");
    const sent: string[] = [];
    const client = clientOf(db);
    if (db.kind === "postgres") {
      const pool = client as Pool;
      const connect = pool.connect.bind(pool);
      (pool as { connect: unknown }).connect = async () => {
        const c = await connect();
        const query = c.query.bind(c);
        (c as { query: unknown }).query = (q: string | { text: string }, ...rest: unknown[]) => (sent.push(typeof q === "string" ? q : q.text), (query as (...a: unknown[]) => unknown)(q, ...rest));
        return c;
      };
      await withWorkspace(db.orm, "ws_a", titles);
      (pool as { connect: unknown }).connect = connect;
      expect(sent.length).toBe(3);
      expect(sent[0]).toBe("BEGIN; SET LOCAL ROLE ydtb_app; SET LOCAL ydtb.workspace_id = 'ws_a'");
      expect(sent[2]).toBe("COMMIT");
    } else {
      const pg = client as PGlite;
      const transaction = pg.transaction.bind(pg);
      (pg as { transaction: unknown }).transaction = (cb: (t: unknown) => Promise<unknown>) =>
        transaction((t) => cb({ ...t, exec: (q: string) => (sent.push(`exec ${q}`), t.exec(q)), query: (q: string, p?: unknown[]) => (sent.push(`query ${q}`), t.query(q, p)) }));
      await withWorkspace(db.orm, "ws_a", titles);
      (pg as { transaction: unknown }).transaction = transaction;
      expect(sent.length).toBe(2);
      expect(sent[0]).toBe("exec SET LOCAL ROLE ydtb_app; SET LOCAL ydtb.workspace_id = 'ws_a'");
    }
  });

  test("fn's handle keeps the caller's schema; tx.transaction() is a savepoint that rolls back alone", async () => {
    const db = await target.fresh();
    await migrated(db, "ws_a");
    const client = clientOf(db);
    const orm = db.kind === "postgres" ? drizzleNodePg({ client: client as Pool, schema: { notes } }) : drizzlePglite({ client: client as PGlite, schema: { notes } });
    const found = await withWorkspace(orm, "ws_a", async (tx) => {
      await tx.insert(notes).values({ workspaceId: "ws_a", id: "n1", title: "kept" });
      const inner = await failure(
        tx.transaction(async (sp) => {
          await sp.insert(notes).values({ workspaceId: "ws_a", id: "n2", title: "undone" });
          throw new Error("inner");
        }),
      );
      expect((inner as Error).message).toBe("inner");
      return tx.query.notes.findMany({ columns: { title: true } });
    });
    expect(found).toEqual([{ title: "kept" }]);
    expect(await withWorkspace(db.orm, "ws_a", titles)).toEqual(["kept"]);
  });

  test("a statement failure fn swallowed: nothing is saved and the call fails with TRANSACTION_ROLLED_BACK", async () => {
    const db = await target.fresh();
    await migrated(db, "ws_a");
    const error = await failure(
      withWorkspace(db.orm, "ws_a", async (tx) => {
        await tx.execute(sql`INSERT INTO ydtb_basic_notes (workspace_id, id, title) VALUES ('ws_a', 'n1', 'lost')`);
        // Swallowed on purpose: the point is what withWorkspace does after it.
        await tx.execute(sql`SELECT 1 / 0`).catch((e: unknown) => expect(postgresError(e)?.code).toBe("22012"));
      }),
    );
    expect((error as DbAccessError).code).toBe("TRANSACTION_ROLLED_BACK");
    expect(await withWorkspace(db.orm, "ws_a", titles)).toEqual([]);
  });

  test("every ending gives the connection back: fn throwing, a failed COMMIT (surfaced with its SQLSTATE), bad options", async () => {
    const db = await target.fresh();
    await migrated(db, "ws_a");
    await db.exec(`CREATE TABLE ydtb_deferred (id int, CONSTRAINT ydtb_deferred_u UNIQUE (id) DEFERRABLE INITIALLY DEFERRED);
      GRANT SELECT, INSERT ON ydtb_deferred TO ydtb_app;`);
    const one = await poolOfOne(db);
    try {
      expect(((await failure(withWorkspace(one.orm, "ws_a", () => Promise.reject(new Error("fn"))))) as Error).message).toBe("fn");
      const commit = await failure(withWorkspace(one.orm, "ws_a", (tx) => tx.execute(sql`INSERT INTO ydtb_deferred VALUES (1), (1)`)));
      expect(postgresError(commit)?.code).toBe("23505");
      const bad = await failure(withWorkspace(one.orm, "ws_a", titles, { transaction: { isolationLevel: "serializable; DROP TABLE x" as "serializable" } }));
      expect((bad as DbAccessError).code).toBe("INVALID_TRANSACTION_OPTIONS");
      // The single connection is still there, and carries nothing over.
      const after = await withWorkspace(one.orm, "ws_a", async (tx) => rowsOf<{ n: string }>(await tx.execute(sql`SELECT count(*)::text AS n FROM ydtb_deferred`))[0]);
      expect(after).toEqual({ n: "0" });
      expect(await one.query(`SELECT current_user = 'ydtb_app' AS app, current_setting('ydtb.workspace_id', true) AS ws`)).toEqual([{ app: false, ws: "" }]);
    } finally {
      if (one !== db) await one.close();
    }
  });

  test("transaction options reach BEGIN; a workspace id with quotes and backslashes arrives unchanged", async () => {
    const db = await target.fresh();
    const odd = `it's \\'x\\`;
    await migrated(db, odd);
    const seen = await withWorkspace(
      db.orm,
      odd,
      async (tx) => rowsOf<Record<string, string>>(await tx.execute(sql`SELECT current_setting('transaction_isolation') AS iso, current_setting('transaction_read_only') AS ro, current_setting('ydtb.workspace_id') AS ws`))[0],
      { transaction: { isolationLevel: "serializable", accessMode: "read only" } },
    );
    expect(seen).toEqual({ iso: "serializable", ro: "on", ws: odd });
    expect(((await failure(withWorkspace(db.orm, "a\0b", titles))) as DbAccessError).code).toBe("INVALID_WORKSPACE_ID");
  });
});
