import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import coreDatabase from "@ydtb/db-core/database";
import { workspaceIdColumn, workspaces } from "@ydtb/db-core";
import { defineDatabase, discoverDatabases } from "@ydtb/db-registry";
import type { Database } from "@ydtb/db-client";
import { describeDatabases } from "@ydtb/test-db";
import { InitFailedError, initDatabase } from "../src/index.ts";
import { addPackage, copyWorkspace, removeWorkspace, workspaceManifests } from "./helpers.ts";

const copies: string[] = [];
afterAll(() => copies.splice(0).forEach(removeWorkspace));

const failure = async (p: Promise<unknown>): Promise<InitFailedError> => {
  try {
    await p;
  } catch (error) {
    if (error instanceof InitFailedError) return error;
    throw error;
  }
  throw new Error("expected initDatabase to fail");
};

const publicTables = async (db: Database) =>
  (await db.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).map((r) => r.t);

/** A valid package whose migrations are `migrations` (TypeScript), with its one table described and exempt from the policy rule. */
function flaky(migrations: { id: string; up: (orm: never) => unknown }[], packageName = "@ydtb/flaky") {
  const items = pgTable("ydtb_flaky_items", { workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }), id: text("id").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
  return defineDatabase({
    packageName,
    version: "1.0.0",
    schema: { items },
    migrations: migrations as never,
    descriptions: { ydtb_flaky_items: { description: "Items.", columns: { workspace_id: "w", id: "i" } } },
    exemptions: [{ rule: "workspace-rls", table: "ydtb_flaky_items", reason: "the test is about the pipeline, not isolation" }],
  });
}
const createItems = (orm: { execute: (q: unknown) => unknown }) =>
  orm.execute(sql`CREATE TABLE ydtb_flaky_items (workspace_id varchar(20) NOT NULL REFERENCES ydtb_workspaces(id) ON DELETE CASCADE, id text NOT NULL, PRIMARY KEY (workspace_id, id))`);

describeDatabases("initDatabase phases", (target) => {
  test("a failing migration: exact steps (earlier applied, it failed, the rest skipped), counts, and the error", async () => {
    const db = await target.fresh();
    const pkg = flaky([
      { id: "0000_items", up: createItems as never },
      { id: "0001_broken", up: ((orm: { execute: (q: unknown) => unknown }) => orm.execute(sql`ALTER TABLE ydtb_flaky_items ADD COLUMN nope nonexistent_type`)) as never },
      { id: "0002_never", up: ((orm: { execute: (q: unknown) => unknown }) => orm.execute(sql`CREATE TABLE ydtb_flaky_never (id text)`)) as never },
    ]);
    const error = await failure(initDatabase({ db, manifests: [coreDatabase, pkg], syncTools: false }));
    const r = error.report;
    expect([r.ok, r.failedPhase, r.error?.code]).toEqual([false, "migrate", "MIGRATION_FAILED"]);
    expect(r.steps.map((s) => `${s.package} ${s.id} ${s.status}`)).toEqual([
      "@ydtb/core 0000_core applied",
      "@ydtb/core 0001_tools_phase2 applied",
      "@ydtb/core 0002_workspace_rls applied",
      "@ydtb/flaky 0000_items applied",
      "@ydtb/flaky 0001_broken failed",
      "@ydtb/flaky 0002_never skipped",
    ]);
    expect([r.applied, r.skipped]).toEqual([4, 1]);
    expect(r.steps[4]?.error).toContain("nonexistent_type");
    expect(r.tools).toBeUndefined();
    expect(await db.query(`SELECT to_regclass('ydtb_flaky_items')::text AS kept, to_regclass('ydtb_flaky_never')::text AS never`)).toEqual([{ kept: "ydtb_flaky_items", never: null }]);
  });

  test("two packages claiming one table: refused in the register phase, nothing migrated", async () => {
    const db = await target.fresh();
    const copy = flaky([{ id: "0000_items", up: createItems as never }], "@ydtb/copycat");
    const error = await failure(initDatabase({ db, manifests: [coreDatabase, flaky([{ id: "0000_items", up: createItems as never }]), copy] }));
    expect([error.report.failedPhase, error.report.error?.code, error.report.steps]).toEqual(["register", "TABLE_CONFLICT", []]);
    expect(error.report.packages.map((p) => [p.name, p.databaseVersion])).toEqual([
      ["@ydtb/core", null],
      ["@ydtb/flaky", null],
      ["@ydtb/copycat", null],
    ]);
    expect(await publicTables(db)).toEqual([]);
  });

  test("a dry run plans every step, creates nothing and syncs no tools", async () => {
    const db = await target.fresh();
    const { report } = await initDatabase({ db, manifests: await workspaceManifests(), migrate: { dryRun: true } });
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => `${s.id} ${s.status}`)).toEqual([
      "0000_core skipped",
      "0001_tools_phase2 skipped",
      "0002_workspace_rls skipped",
      "0000_notes skipped",
      "0001_pinned skipped",
      "0002_workspace_rls skipped",
    ]);
    expect([report.applied, report.skipped, report.tools]).toEqual([0, 6, undefined]);
    expect(await publicTables(db)).toEqual([]);
  });

  test("tools: synced by default; syncTools false leaves ydtb_tools alone; a later boot without the package deactivates its tool", async () => {
    const db = await target.fresh();
    const manifests = await workspaceManifests();
    const quiet = await initDatabase({ db, manifests, syncTools: false });
    expect(quiet.report.tools).toBeUndefined();
    expect(await db.query(`SELECT count(*)::int AS n FROM ydtb_tools`)).toEqual([{ n: 0 }]);
    const synced = await initDatabase({ db, manifests });
    expect(synced.report.tools).toEqual({ inserted: 1, updated: 0, deactivated: 0 });
    // Only some packages (ydtb-db migrate --package): the others' tools stay.
    const partial = await initDatabase({ db, manifests: manifests.filter((m) => m.packageName === "@ydtb/core"), partial: true });
    expect(partial.report.tools).toEqual({ inserted: 0, updated: 0, deactivated: 0 });
    const without = await initDatabase({ db, manifests: manifests.filter((m) => m.packageName === "@ydtb/core") });
    expect(without.report.tools).toEqual({ inserted: 0, updated: 0, deactivated: 1 });
  });

  test("a manifest that fails to load: the discover phase fails naming it, with the packages that did load", async () => {
    const root = copyWorkspace({ packages: ["db-core", "basic"] });
    copies.push(root);
    addPackage(root, "extra");
    writeFileSync(join(root, "packages/extra/src/database.ts"), `export default defineDatabase({ ,, });\n`);
    const db = await target.fresh();
    const error = await failure(initDatabase({ db, rootDir: root }));
    const r = error.report;
    expect([r.failedPhase, r.error?.code, r.steps]).toEqual(["discover", "DISCOVERY_FAILED", []]);
    expect(r.discoveryFailures.map((f) => [f.package, f.file])).toEqual([["@ydtb/extra", join(root, "packages/extra/src/database.ts")]]);
    expect(r.packages.map((p) => p.name).sort()).toEqual(["@ydtb/basic", "@ydtb/core"]);
    expect(await publicTables(db)).toEqual([]);
  });

  test("a discovery the caller already made (the app on PGlite, for the extensions) is used, not made again", async () => {
    const root = copyWorkspace({ packages: ["db-core", "basic"] });
    copies.push(root);
    const discovered = await discoverDatabases(root);
    // Broken after that discovery: discovering again would fail the boot.
    addPackage(root, "extra");
    writeFileSync(join(root, "packages/extra/src/database.ts"), `export default defineDatabase({ ,, });\n`);
    const db = await target.fresh();
    const { report } = await initDatabase({ db, rootDir: root, discovered });
    expect([report.ok, report.discoveryFailures, report.packages.map((p) => p.name).sort()]).toEqual([true, [], ["@ydtb/basic", "@ydtb/core"]]);
  });

  test("a tools sync that fails fails the boot in the sync phase, after the migrations", async () => {
    const db = await target.fresh();
    const manifests = await workspaceManifests();
    await initDatabase({ db, manifests });
    await db.exec(`DROP TABLE ydtb_workspace_tools; DROP TABLE ydtb_tools`);
    // A full boot: with fingerprints off the boot stamp does not answer (a stamped no-op skips
    // the sync by design, see boot-stamp.test.ts), so the sync runs and meets the dropped tables.
    const error = await failure(initDatabase({ db, manifests, migrate: { fingerprints: false } }));
    expect([error.report.ok, error.report.failedPhase, error.report.steps, error.report.tools]).toEqual([false, "sync", [], undefined]);
    expect(error.message).toStartWith("syncing tools failed: ");
    // The report carries the sync error's own code and message, and the error its cause.
    expect(error.report.error).toEqual({ code: "TOOL_SYNC_FAILED", message: (error.cause as Error).message });
    expect(error.report.error?.message).toContain('relation "ydtb_tools" does not exist');
  });
});
