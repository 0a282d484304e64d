import { afterAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { openDatabase } from "@ydtb/db-client";
import { migrate } from "@ydtb/db-migrate";
import { createTestDatabase, describeDatabases, serverUrl, type TestDatabase } from "@ydtb/test-db";
import postgres from "postgres";
import { DbAccessError, RUNTIME_ROLE, withWorkspace } from "../src/index.ts";
import { registeredManifests, rowsOf } from "./registry-seed.ts";

async function codeOf(run: Promise<unknown>): Promise<string | undefined> {
  try {
    await run;
  } catch (error) {
    if (error instanceof DbAccessError) return error.code;
    throw error;
  }
  return undefined;
}

/** A migrated database with workspaces ws_a and ws_b and one note each. */
async function migrated(db: TestDatabase): Promise<void> {
  await migrate(db, await registeredManifests());
  await db.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('ws_a', 'A', 'a'), ('ws_b', 'B', 'b');
    INSERT INTO ydtb_basic_notes (workspace_id, id, title) VALUES ('ws_a', 'n1', 'A note'), ('ws_b', 'n2', 'B note');`);
}

const titles = (tx: Parameters<Parameters<typeof withWorkspace>[2]>[0]) => tx.execute(sql`SELECT title FROM ydtb_basic_notes ORDER BY title`).then((r) => rowsOf<{ title: string }>(r).map((x) => x.title));

describeDatabases("withWorkspace", (target) => {
  test("one transaction as the runtime role: committed when fn resolves, rolled back when it throws", async () => {
    const db = await target.fresh();
    await migrated(db);
    const who = await withWorkspace(db.orm, "ws_a", async (tx) => rowsOf<{ who: string; ws: string }>(await tx.execute(sql`SELECT current_user AS who, current_setting('ydtb.workspace_id') AS ws`))[0]);
    expect(who).toEqual({ who: RUNTIME_ROLE, ws: "ws_a" });
    await withWorkspace(db.orm, "ws_a", (tx) => tx.execute(sql`INSERT INTO ydtb_basic_notes (workspace_id, id, title) VALUES ('ws_a', 'n3', 'kept')`));
    const failing = withWorkspace(db.orm, "ws_a", async (tx) => {
      await tx.execute(sql`INSERT INTO ydtb_basic_notes (workspace_id, id, title) VALUES ('ws_a', 'n4', 'rolled back')`);
      throw new Error("boom");
    });
    expect(failing).rejects.toThrow("boom");
    await failing.catch(() => undefined);
    expect(await withWorkspace(db.orm, "ws_a", titles)).toEqual(["A note", "kept"]);
    expect(await withWorkspace(db.orm, "ws_b", titles)).toEqual(["B note"]);
  });

  test("a handle it handed out serves the same workspace again and refuses another; a foreign transaction is refused", async () => {
    const db = await target.fresh();
    await migrated(db);
    expect(await withWorkspace(db.orm, "ws_a", (tx) => withWorkspace(tx, "ws_a", titles))).toEqual(["A note"]);
    expect(await codeOf(withWorkspace(db.orm, "ws_a", (tx) => withWorkspace(tx, "ws_b", titles)))).toBe("WORKSPACE_MISMATCH");
    expect(await codeOf(db.orm.transaction((tx) => withWorkspace(tx, "ws_a", titles)))).toBe("WORKSPACE_MISMATCH");
  });

  test("fails closed on the empty string an ended transaction leaves behind, even for a workspace whose id is ''", async () => {
    const db = await target.fresh();
    await migrated(db);
    await db.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('', 'Empty id', 'empty');
      INSERT INTO ydtb_basic_notes (workspace_id, id, title) VALUES ('', 'n0', 'Empty-id note');`);
    await db.withConnection(async (conn) => {
      await conn.transaction((tx) => tx.query(`SELECT set_config('ydtb.workspace_id', 'ws_a', true)`));
      // The setting now reads '' on this connection: the next transaction must still see nothing.
      const rows = await conn.transaction(async (tx) => {
        const [left] = await tx.query<{ ws: string }>(`SELECT current_setting('ydtb.workspace_id', true) AS ws`);
        await tx.query(`SELECT set_config('role', $1, true)`, [RUNTIME_ROLE]);
        return { left: left!.ws, notes: await tx.query(`SELECT title FROM ydtb_basic_notes`) };
      });
      expect(rows).toEqual({ left: "", notes: [] });
    });
  });

  test("a missing or oversized workspace id is refused before any query", async () => {
    const db = await target.fresh();
    expect(await codeOf(withWorkspace(db.orm, "", titles))).toBe("INVALID_WORKSPACE_ID");
    expect(await codeOf(withWorkspace(db.orm, "w".repeat(21), titles))).toBe("INVALID_WORKSPACE_ID");
  });
});

describe("withWorkspace before the migrations [pglite]", () => {
  test("the runtime role does not exist yet: RUNTIME_ROLE_MISSING says to migrate", async () => {
    // Roles belong to the cluster: a fresh PGlite has none, whereas the shared server keeps ydtb_app.
    const db = await createTestDatabase("pglite");
    try {
      expect(await codeOf(withWorkspace(db.orm, "ws_a", titles))).toBe("RUNTIME_ROLE_MISSING");
    } finally {
      await db.dispose();
    }
  });
});

// The operator's setup on a server: the app logs in as its own role, a member of ydtb_app.
describe.skipIf(!serverUrl())("the app's own login role [postgres]", () => {
  const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
  const member = `ydtb_rls_app_${suffix}`;
  const stranger = `ydtb_rls_other_${suffix}`;
  const admin = serverUrl() ? postgres(serverUrl()!, { max: 1, onnotice: () => {} }) : undefined;
  afterAll(async () => {
    await admin?.unsafe(`DROP ROLE IF EXISTS "${member}"; DROP ROLE IF EXISTS "${stranger}"`);
    await admin?.end({ timeout: 2 });
  });

  test("a member of ydtb_app sees nothing outside withWorkspace and its workspace inside; a non-member is told to GRANT", async () => {
    const db = await createTestDatabase("postgres");
    try {
      await migrated(db);
      await admin!.unsafe(`CREATE ROLE "${member}" LOGIN IN ROLE ${RUNTIME_ROLE}; CREATE ROLE "${stranger}" LOGIN`);
      const as = (user: string, max: number) => {
        const url = new URL(db.url!);
        url.username = user;
        return openDatabase({ url: url.toString(), max });
      };
      const app = await as(member, 2);
      try {
        expect(await app.query(`SELECT * FROM ydtb_basic_notes`)).toEqual([]);
        expect(await withWorkspace(app.orm, "ws_b", titles)).toEqual(["B note"]);
      } finally {
        await app.close();
      }
      // A pool of one: the refused opening gives its connection back, or the second call waits forever.
      const other = await as(stranger, 1);
      try {
        expect(await codeOf(withWorkspace(other.orm, "ws_b", titles))).toBe("RUNTIME_ROLE_DENIED");
        expect(await codeOf(withWorkspace(other.orm, "ws_b", titles))).toBe("RUNTIME_ROLE_DENIED");
      } finally {
        await other.close();
      }
    } finally {
      await db.dispose();
    }
  });
});
