import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { generatePolicyMigration, RUNTIME_ROLE, withWorkspace } from "@ydtb/db-access";
import { sql } from "drizzle-orm";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { checkPackage, migrate } from "@ydtb/db-migrate";
import { createTestDatabase, describeDatabases } from "@ydtb/test-db";
import { validateManifests } from "../src/index.ts";
import { coreDatabase } from "./builders.ts";
import { writeViewsPackage } from "./views-package.ts";

// A package with pgView, pgMaterializedView and pgSchema exports passes both `validate` and
// `check`: drizzle-kit generate, the row-level-security migration, our migrate, no drift.

const dir = await writeViewsPackage();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const manifest = (await import(join(dir, "src", "database.ts"))).default as DatabaseManifest;
const policy = generatePolicyMigration(manifest, { now: Date.now() + 1000 });

describe("views, materialized views and schemas in a schema module", () => {
  test("drizzle-kit generated them, and the policy migration followed", () => {
    const sql = readFileSync(join(dir, "drizzle", "0000_views.sql"), "utf8");
    expect(sql).toContain('CREATE SCHEMA "ydtb_fxviews"');
    expect(sql).toContain('CREATE VIEW "public"."ydtb_fxviews_open_notes"');
    expect(sql).toContain('CREATE MATERIALIZED VIEW "public"."ydtb_fxviews_note_counts"');
    expect(policy.status).toBe("written");
  });

  test("validate: no diagnostic, the constant listed as ignored", () => {
    const report = validateManifests([coreDatabase, manifest], { packages: ["@ydtb/fxviews"] });
    expect(report.packages[0]?.diagnostics ?? []).toEqual([]);
    expect(report.packages[0]?.ignoredExports).toEqual(["TITLE_LIMIT"]);
  });

  test("check: every migration up → down → up, and no drift between the schema and drizzle-kit's snapshot", async () => {
    // On an empty PGlite from @ydtb/test-db: checkPackage's own default runs initdb for a new one.
    const database = await createTestDatabase("pglite");
    const result = await checkPackage(manifest, [coreDatabase, manifest], { database }).finally(() => database.dispose());
    expect(result.drift).toEqual({ ok: true, sql: [] });
    expect(result.upDownUp.filter((s) => !s.ok)).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describeDatabases("a package with views migrates", (target) => {
  test("its views and the view in its schema answer, as the owner", async () => {
    const db = await target.fresh();
    const result = await migrate(db, [coreDatabase, manifest]);
    expect(result.failed).toBe(0);
    await db.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('ws_views_a', 'A', 'ws-views-a'), ('ws_views_b', 'B', 'ws-views-b')`);
    await db.exec(`INSERT INTO ydtb_fxviews_notes (workspace_id, id, title, archived) VALUES ('ws_views_a', 'n1', 'one', false), ('ws_views_a', 'n2', 'two', true), ('ws_views_b', 'n3', 'three', false)`);
    await db.exec(`REFRESH MATERIALIZED VIEW ydtb_fxviews_note_counts`);
    expect(await db.query<{ id: string }>(`SELECT id FROM ydtb_fxviews_open_notes ORDER BY id`)).toEqual([{ id: "n1" }, { id: "n3" }]);
    expect(await db.query<{ id: string }>(`SELECT id FROM ydtb_fxviews.ydtb_fxviews_archived`)).toEqual([{ id: "n2" }]);
    expect(await db.query<{ total: string }>(`SELECT total::text FROM ydtb_fxviews_note_counts ORDER BY workspace_id`)).toEqual([{ total: "2" }, { total: "1" }]);
  });

  test("the runtime role reads the security_invoker views (the one in the package's schema too) through row-level security, and the global materialized view", async () => {
    const db = await target.fresh();
    expect((await migrate(db, [coreDatabase, manifest])).failed).toBe(0);
    await db.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('ws_views_a', 'A', 'ws-views-a'), ('ws_views_b', 'B', 'ws-views-b')`);
    await db.exec(`INSERT INTO ydtb_fxviews_notes (workspace_id, id, title, archived) VALUES ('ws_views_a', 'n1', 'one', false), ('ws_views_a', 'n2', 'two', true), ('ws_views_b', 'n3', 'three', false), ('ws_views_b', 'n4', 'four', false)`);
    await db.exec(`REFRESH MATERIALIZED VIEW ydtb_fxviews_note_counts`);
    const ids = (result: unknown) => (result as { rows: { id: string }[] }).rows.map((r) => r.id);
    expect(await withWorkspace(db.orm, "ws_views_a", async (tx) => ids(await tx.execute(sql`SELECT id FROM ydtb_fxviews_open_notes ORDER BY id`)))).toEqual(["n1"]);
    expect(await withWorkspace(db.orm, "ws_views_b", async (tx) => ids(await tx.execute(sql`SELECT id FROM ydtb_fxviews_open_notes ORDER BY id`)))).toEqual(["n3", "n4"]);
    // The view in the package's own schema: the policy migration granted USAGE on the schema too.
    expect(await withWorkspace(db.orm, "ws_views_a", async (tx) => ids(await tx.execute(sql`SELECT id FROM ydtb_fxviews.ydtb_fxviews_archived`)))).toEqual(["n2"]);
    const outside = await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', $1, true)`, [RUNTIME_ROLE]);
      return tx.query(`SELECT id FROM ydtb_fxviews_open_notes`);
    });
    expect(outside).toEqual([]);
    // Declared global: granted, and every workspace's totals are visible (what the declaration says).
    const totals = await withWorkspace(db.orm, "ws_views_a", async (tx) => (await tx.execute(sql`SELECT total::int AS total FROM ydtb_fxviews_note_counts ORDER BY workspace_id`)) as unknown as { rows: { total: number }[] });
    expect(totals.rows).toEqual([{ total: 2 }, { total: 2 }]);
  });
});
