import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createNote, listNotes } from "@ydtb/basic";
import coreDatabase from "@ydtb/db-core/database";
import { workspaceIdColumn, workspaces } from "@ydtb/db-core";
import { defineDatabase } from "@ydtb/db-registry";
import { validateManifests } from "@ydtb/db-validate";
import { describeDatabases } from "@ydtb/test-db";
import { InitFailedError, initDatabase } from "../src/index.ts";
import { repoRoot, workspaceManifests } from "./helpers.ts";

const failure = async (p: Promise<unknown>): Promise<InitFailedError> => {
  try {
    await p;
  } catch (error) {
    if (error instanceof InitFailedError) return error;
    throw error;
  }
  throw new Error("expected initDatabase to fail");
};

const tableNames = async (db: { query: (q: string) => Promise<Record<string, unknown>[]> }) =>
  (await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).map((r) => String(r.table_name));

describeDatabases("initDatabase", (target) => {
  test("boots the real workspace; a second boot applies nothing with a bounded number of queries", async () => {
    const db = await target.fresh();
    const first = await initDatabase({ db, rootDir: repoRoot });
    expect(first.report.ok).toBe(true);
    expect(first.report.steps.map((s) => `${s.package} ${s.id} ${s.status}`)).toEqual([
      "@ydtb/core 0000_core applied",
      "@ydtb/core 0001_tools_phase2 applied",
      "@ydtb/core 0002_workspace_rls applied",
      "@ydtb/basic 0000_notes applied",
      "@ydtb/basic 0001_pinned applied",
      "@ydtb/basic 0002_workspace_rls applied",
    ]);
    expect(first.report.packages.map((p) => [p.name, p.version, p.databaseVersion])).toEqual([
      ["@ydtb/basic", "1.1.0", "1.1.0"],
      ["@ydtb/core", "1.0.0", "1.0.0"],
    ]);
    expect(first.report.tools).toEqual({ inserted: 1, updated: 0, deactivated: 0 });
    expect(first.report.errors).toEqual([]);
    expect(first.report.warnings).toEqual([]);
    for (const phase of ["discover", "register", "validate", "migrate", "sync", "total"] as const) expect(first.report.ms[phase]).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(JSON.stringify(first.report))).toEqual(first.report);

    const second = await initDatabase({ db, rootDir: repoRoot });
    expect(second.report.applied).toBe(0);
    expect(second.report.steps).toEqual([]);
    expect(second.report.queryCount).toBeLessThanOrEqual(5);
    expect(second.report.tools).toEqual({ inserted: 0, updated: 0, deactivated: 0 });
  });

  test("a validation error refuses the boot with every package's errors; nothing is migrated", async () => {
    const db = await target.fresh();
    const leaky = defineDatabase({
      packageName: "@ydtb/leaky",
      version: "1.0.0",
      schema: { t: pgTable("ydtb_leaky_items", { id: text("id").primaryKey(), email: text("email").unique() }) },
      migrations: [{ id: "0000_init", up: async (orm) => orm.execute(sql`CREATE TABLE ydtb_leaky_items (id text primary key, email text unique)`) }],
    });
    const error = await failure(initDatabase({ db, manifests: [coreDatabase, leaky] }));
    expect(error.code).toBe("INIT_FAILED");
    expect(error.report.ok).toBe(false);
    expect(error.report.failedPhase).toBe("validate");
    expect(new Set(error.report.errors.map((d) => d.package))).toEqual(new Set(["@ydtb/leaky"]));
    expect(error.report.errors.map((d) => d.rule)).toContain("workspace-column");
    // Exactly the validator's diagnostics, in its order, split by severity; the cause holds the errors.
    const validated = validateManifests([coreDatabase, leaky]).packages.flatMap((p) => p.diagnostics);
    expect([error.report.errors, error.report.warnings]).toEqual([validated.filter((d) => d.severity === "error"), validated.filter((d) => d.severity !== "error")]);
    expect(error.report.warnings.length).toBeGreaterThan(0);
    expect((error.cause as { diagnostics: unknown }).diagnostics).toEqual(error.report.errors);
    expect(await tableNames(db)).toEqual([]);
  });

  test("a failing migration: the report names it, earlier ones are kept, and nothing after it runs", async () => {
    const db = await target.fresh();
    const items = pgTable("ydtb_flaky_items", { workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }), id: text("id").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const flaky = defineDatabase({
      packageName: "@ydtb/flaky",
      version: "1.0.0",
      schema: { items },
      migrations: [
        { id: "0000_items", up: (orm) => orm.execute(sql`CREATE TABLE ydtb_flaky_items (workspace_id varchar(20) NOT NULL REFERENCES ydtb_workspaces(id) ON DELETE CASCADE, id text NOT NULL, PRIMARY KEY (workspace_id, id))`) },
        { id: "0001_broken", up: (orm) => orm.execute(sql`ALTER TABLE ydtb_flaky_items ADD COLUMN nope nonexistent_type`) },
        { id: "0002_never", up: (orm) => orm.execute(sql`CREATE TABLE ydtb_flaky_never (id text)`) },
      ],
      descriptions: { ydtb_flaky_items: { description: "Items.", columns: { workspace_id: "w", id: "i" } } },
      exemptions: [{ rule: "workspace-rls", table: "ydtb_flaky_items", reason: "the test is about a failing migration, not isolation" }],
    });
    const error = await failure(initDatabase({ db, manifests: [coreDatabase, flaky], syncTools: false }));
    expect(error.report.failedPhase).toBe("migrate");
    expect(error.report.error?.code).toBe("MIGRATION_FAILED");
    const statuses = error.report.steps.map((s) => `${s.package} ${s.id} ${s.status}`);
    expect(statuses).toContain("@ydtb/flaky 0000_items applied");
    expect(statuses).toContain("@ydtb/flaky 0001_broken failed");
    expect(statuses).not.toContain("@ydtb/flaky 0002_never applied");
    const tables = await tableNames(db);
    expect(tables).toContain("ydtb_flaky_items");
    expect(tables).not.toContain("ydtb_flaky_never");
  });

  test("@ydtb/basic 1.0.0 → 1.1.0 → 1.0.0 keeps the data of untouched columns", async () => {
    const db = await target.fresh();
    const manifests = await workspaceManifests();
    await initDatabase({ db, manifests, migrate: { target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } } });
    await db.orm.insert(workspaces).values({ id: "ws_1", name: "One", slug: "one" });
    // 1.0.0 has no pinned column: write as 1.0.0 code would.
    await db.exec(`INSERT INTO ydtb_basic_notes (workspace_id, id, title, body) VALUES ('ws_1', 'n1', 'Old note', 'kept')`);
    expect((await db.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'ydtb_basic_notes' AND column_name = 'pinned'")).length).toBe(0);

    const up = await initDatabase({ db, manifests });
    expect(up.report.steps.map((s) => `${s.direction} ${s.id}`)).toEqual(["up 0001_pinned", "up 0002_workspace_rls"]);
    await createNote(db.orm, "ws_1", { title: "New note", pinned: true, tags: ["inbox"] });
    expect((await listNotes(db.orm, "ws_1")).map((n) => [n.title, n.pinned, n.tags])).toEqual([
      ["New note", true, ["inbox"]],
      ["Old note", false, []],
    ]);

    const down = await initDatabase({ db, manifests, migrate: { target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } } });
    expect(down.report.steps.map((s) => `${s.direction} ${s.id}`)).toEqual(["down 0002_workspace_rls", "down 0001_pinned"]);
    const rows = await db.query<{ id: string; title: string; body: string }>("SELECT id, title, body FROM ydtb_basic_notes ORDER BY title");
    expect(rows.map((r) => [r.title, r.body])).toEqual([
      ["New note", ""],
      ["Old note", "kept"],
    ]);
    expect((await db.query("SELECT count(*)::int AS n FROM ydtb_basic_note_tags"))[0]?.n).toBe(1);
  });
});
