// The leak test over the registry: every workspace table of every registered package, three
// workspaces of rows each, every way a query can reach another workspace's rows.
import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { openDatabase, type Database } from "@ydtb/db-client";
import { migrate } from "@ydtb/db-migrate";
import { describeDatabases, type TestDatabase } from "@ydtb/test-db";
import { RUNTIME_ROLE, withWorkspace, workspaceTableNames, type DbAccessError } from "../src/index.ts";
import { fromTable, registeredManifests, rowsOf, seedRegistry, type Seeded } from "./registry-seed.ts";

const WORKSPACES = ["ws_a", "ws_b", "ws_c"] as const;
const [A, B] = WORKSPACES;

class Rollback extends Error {}

/** The SQLSTATE inside a driver or Drizzle error. */
function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, d = 0; e && d < 5; e = (e as { cause?: unknown }).cause, d++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

async function refusal(run: Promise<unknown>): Promise<string | undefined> {
  try {
    await run;
  } catch (error) {
    return sqlState(error) ?? (error as DbAccessError).code;
  }
  return undefined;
}

async function setUp(db: TestDatabase) {
  const manifests = await registeredManifests();
  await migrate(db, manifests);
  const seeded = await seedRegistry(db, manifests, WORKSPACES);
  const tables = manifests.flatMap(workspaceTableNames).sort();
  return { manifests, seeded, tables };
}

const countIn = (seeded: Seeded, table: string, ws: string) => seeded.get(table)!.filter((r) => r.workspace_id === ws).length;

/** Counts per workspace of every workspace table, read as the owner (no policy applies). */
async function ownerCounts(db: Database, tables: readonly string[]): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const t of tables) {
    const rows = await db.query<{ workspace_id: string; n: number }>(`SELECT workspace_id, count(*)::int AS n FROM "${t}" GROUP BY 1`);
    out[t] = Object.fromEntries(rows.map((r) => [r.workspace_id, r.n]));
  }
  return out;
}

describeDatabases("row-level security over the registry", (target) => {
  test("the registry has workspace tables, each seeded in three workspaces", async () => {
    const db = await target.fresh();
    const { seeded, tables } = await setUp(db);
    expect(tables).toContain("ydtb_basic_notes");
    expect(tables).toContain("ydtb_workspace_tools");
    for (const t of tables) for (const ws of WORKSPACES) expect([t, ws, countIn(seeded, t, ws)]).toEqual([t, ws, 2]);
  });

  test("inside workspace A: select, update and delete without WHERE reach only A's rows; inserts and moves into B are refused", async () => {
    const db = await target.fresh();
    const { seeded, tables } = await setUp(db);
    const before = await ownerCounts(db, tables);
    for (const t of tables) {
      const seen = await withWorkspace(db.orm, A, async (tx) => rowsOf<{ workspace_id: string }>(await tx.execute(fromTable(t, "workspace_id"))));
      expect({ t, seen: seen.map((r) => r.workspace_id) }).toEqual({ t, seen: Array(countIn(seeded, t, A)).fill(A) });

      const updated = await withWorkspace(db.orm, A, async (tx) => rowsOf<{ workspace_id: string }>(await tx.execute(sql.raw(`UPDATE "${t}" SET workspace_id = workspace_id RETURNING workspace_id`))));
      expect({ t, updated: updated.map((r) => r.workspace_id) }).toEqual({ t, updated: Array(countIn(seeded, t, A)).fill(A) });

      let deleted: { workspace_id: string }[] = [];
      const rolledBack = withWorkspace(db.orm, A, async (tx) => {
        deleted = rowsOf(await tx.execute(sql.raw(`DELETE FROM "${t}" RETURNING workspace_id`)));
        throw new Rollback(t);
      });
      expect(rolledBack).rejects.toBeInstanceOf(Rollback);
      await rolledBack.catch(() => undefined);
      expect({ t, deleted: deleted.map((r) => r.workspace_id) }).toEqual({ t, deleted: Array(countIn(seeded, t, A)).fill(A) });

      // A copy of one of B's rows, inserted from inside A: the policy's WITH CHECK refuses it.
      const rowOfB = seeded.get(t)!.find((r) => r.workspace_id === B)!;
      const columns = Object.keys(rowOfB);
      const values = columns.map((c) => (rowOfB[c] === null ? "NULL" : `'${String(rowOfB[c]).replaceAll("'", "''")}'`));
      const insert = `INSERT INTO "${t}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${values.join(", ")})`;
      expect({ t, code: await refusal(withWorkspace(db.orm, A, (tx) => tx.execute(sql.raw(insert)))) }).toEqual({ t, code: "42501" });
      // Moving A's rows to B is refused the same way.
      expect({ t, code: await refusal(withWorkspace(db.orm, A, (tx) => tx.execute(sql.raw(`UPDATE "${t}" SET workspace_id = '${B}'`)))) }).toEqual({ t, code: "42501" });
    }
    // Nothing of any workspace changed: the deletes were rolled back, the refused writes never happened.
    expect(await ownerCounts(db, tables)).toEqual(before);
  });

  test("joins across every pair of workspace tables inside A give A's rows only", async () => {
    const db = await target.fresh();
    const { seeded, tables } = await setUp(db);
    await withWorkspace(db.orm, A, async (tx) => {
      for (const t of tables) {
        for (const u of tables) {
          const rows = rowsOf<{ l: string; r: string }>(await tx.execute(sql.raw(`SELECT l.workspace_id AS l, r.workspace_id AS r FROM "${t}" l CROSS JOIN "${u}" r`)));
          expect({ t, u, n: rows.length, other: rows.filter((x) => x.l !== A || x.r !== A).length }).toEqual({ t, u, n: countIn(seeded, t, A) * countIn(seeded, u, A), other: 0 });
        }
      }
    });
  });

  test("outside withWorkspace the runtime role sees nothing and writes nothing", async () => {
    const db = await target.fresh();
    const { seeded, tables } = await setUp(db);
    for (const t of tables) {
      const rows = await db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('role', $1, true)`, [RUNTIME_ROLE]);
        return tx.query(`SELECT * FROM "${t}"`);
      });
      expect({ t, rows }).toEqual({ t, rows: [] });
      // A workspace set to '' (what an ended transaction leaves behind) fails closed too.
      const empty = await db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('role', $1, true), set_config('ydtb.workspace_id', '', true)`, [RUNTIME_ROLE]);
        return tx.query(`SELECT * FROM "${t}"`);
      });
      expect({ t, empty }).toEqual({ t, empty: [] });
      const row = seeded.get(t)!.find((r) => r.workspace_id === A)!;
      const columns = Object.keys(row);
      const code = await refusal(
        db.transaction(async (tx) => {
          await tx.query(`SELECT set_config('role', $1, true)`, [RUNTIME_ROLE]);
          await tx.query(`INSERT INTO "${t}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`, columns.map((c) => row[c]));
        }),
      );
      expect({ t, code }).toEqual({ t, code: "42501" });
    }
  });

  test("concurrent withWorkspace calls over a pool never see each other's workspace, and leave nothing on the connections", async () => {
    const db = await target.fresh();
    const { seeded, tables } = await setUp(db);
    const pool = target.kind === "postgres" ? await openDatabase({ url: db.url!, max: 4 }) : db;
    try {
      const calls = Array.from({ length: 24 }, (_, i) => WORKSPACES[i % WORKSPACES.length]!);
      const seen = await Promise.all(
        calls.map((ws) =>
          withWorkspace(pool.orm, ws, async (tx) => {
            const out: string[] = [];
            for (const t of tables) {
              // A short sleep keeps several transactions open at once on the pool's connections.
              await tx.execute(sql`SELECT pg_sleep(0.002)`);
              out.push(...rowsOf<{ workspace_id: string }>(await tx.execute(fromTable(t, "workspace_id"))).map((r) => r.workspace_id));
            }
            const [setting] = rowsOf<{ ws: string }>(await tx.execute(sql`SELECT current_setting('ydtb.workspace_id') AS ws`));
            return { ws, setting: setting!.ws, out };
          }),
        ),
      );
      for (const s of seen) {
        expect({ ws: s.ws, setting: s.setting, foreign: s.out.filter((x) => x !== s.ws) }).toEqual({ ws: s.ws, setting: s.ws, foreign: [] });
        expect(s.out.length).toBe(tables.reduce((n, t) => n + countIn(seeded, t, s.ws), 0));
      }
      // Every pooled connection is back to the connecting user with no workspace.
      const after = await Promise.all(Array.from({ length: 8 }, () => pool.query<{ ws: string | null; who: string }>(`SELECT current_setting('ydtb.workspace_id', true) AS ws, current_user AS who, pg_sleep(0.002)`)));
      for (const [row] of after) expect({ ws: row!.ws || null, who: row!.who }).toEqual({ ws: null, who: "postgres" });
    } finally {
      if (pool !== db) await pool.close();
    }
  });

  test("deleting a workspace leaves no row with its id in any registered table", async () => {
    const db = await target.fresh();
    const { manifests, tables } = await setUp(db);
    const before = await ownerCounts(db, tables);
    // The application deletes it, as the runtime role: the foreign keys cascade.
    await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', $1, true)`, [RUNTIME_ROLE]);
      await tx.query(`DELETE FROM ydtb_workspaces WHERE id = $1`, [A]);
    });
    const left: string[] = [];
    for (const m of manifests) {
      for (const t of m.tables) {
        const name = (await import("../src/index.ts")).sqlTableName(t);
        const columns = (await db.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, [name])).map((r) => r.column_name);
        for (const c of columns.filter((c) => c === "workspace_id" || (name === "ydtb_workspaces" && c === "id"))) {
          const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}" WHERE "${c}" = $1`, [A]);
          if (row!.n > 0) left.push(`${m.packageName} ${name}.${c}: ${row!.n}`);
        }
      }
    }
    expect(left).toEqual([]);
    const after = await ownerCounts(db, tables);
    for (const t of tables) expect({ t, ...after[t] }).toEqual({ t, ...Object.fromEntries(Object.entries(before[t]!).filter(([ws]) => ws !== A)) });
  });
});
