import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import coreDatabase from "@ydtb/db-core/database";
import { workspaceIdColumn, workspaces } from "@ydtb/db-core";
import { defineDatabase, type MigrationDefinition } from "@ydtb/db-registry";
import { describeDatabases } from "@ydtb/test-db";
import { databaseStatus, initDatabase } from "../src/index.ts";

const items = pgTable("ydtb_stat_items", { workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }), id: text("id").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

/** @ydtb/stat with TypeScript migrations; `checksumSource` stands for the file's text. */
const stat = (migrations: readonly MigrationDefinition[], version = "1.0.0") =>
  defineDatabase({
    packageName: "@ydtb/stat",
    version,
    schema: { items },
    migrations,
    descriptions: { ydtb_stat_items: { description: "Items.", columns: { workspace_id: "w", id: "i" } } },
    exemptions: [{ rule: "workspace-rls", table: "ydtb_stat_items", reason: "status test" }],
    tools: [{ id: "stat", name: "Stat" }],
  });
const m0: MigrationDefinition = { id: "0000_items", checksumSource: "v1", up: (orm) => orm.execute(sql`CREATE TABLE ydtb_stat_items (workspace_id varchar(20) NOT NULL, id text NOT NULL, PRIMARY KEY (workspace_id, id))`) };
const m1: MigrationDefinition = { id: "0001_more", checksumSource: "v1", up: (orm) => orm.execute(sql`ALTER TABLE ydtb_stat_items ADD COLUMN note text`) };
const m2: MigrationDefinition = { id: "0002_later", checksumSource: "v1", up: (orm) => orm.execute(sql`ALTER TABLE ydtb_stat_items ADD COLUMN later text`) };

describeDatabases("databaseStatus", (target) => {
  test("never migrated: every migration pending, no tools, nothing created", async () => {
    const db = await target.fresh();
    const status = await databaseStatus(db, [coreDatabase, stat([m0, m1])], { migrations: true });
    const mine = status.packages.find((p) => p.package === "@ydtb/stat")!;
    expect([mine.databaseVersion, mine.applied, mine.pending, mine.tools]).toEqual([null, [], ["0000_items", "0001_more"], []]);
    expect(mine.migrations!.map((m) => [m.id, m.state, m.appliedAt, m.appliedBy])).toEqual([
      ["0000_items", "pending", null, null],
      ["0001_more", "pending", null, null],
    ]);
    expect(await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)).toEqual([{ n: 0 }]);
  });

  test("applied, pending, changed and missing migrations, each with who and when; tools per package", async () => {
    const db = await target.fresh();
    await initDatabase({ db, manifests: [coreDatabase, stat([m0, m1, m2])] });
    // This code: 0000 edited since it ran, 0002 gone, 0003 new.
    const m3: MigrationDefinition = { id: "0003_new", checksumSource: "v1", up: () => {} };
    const code = stat([{ ...m0, checksumSource: "v2" }, m1, m3]);
    const status = await databaseStatus(db, [coreDatabase, code], { migrations: true });
    const mine = status.packages.find((p) => p.package === "@ydtb/stat")!;
    expect([mine.applied, mine.pending, mine.missing, mine.changed]).toEqual([["0000_items", "0001_more", "0002_later"], ["0003_new"], ["0002_later"], ["0000_items"]]);
    expect(mine.tools).toEqual([{ id: "stat", name: "Stat", active: true }]);
    expect(mine.migrations!.map((m) => [m.id, m.state])).toEqual([
      ["0000_items", "changed"],
      ["0001_more", "applied"],
      ["0003_new", "pending"],
      ["0002_later", "missing"],
    ]);
    for (const m of mine.migrations!.filter((x) => x.state !== "pending")) {
      expect(typeof m.appliedBy === "string" && m.appliedBy.length > 0).toBe(true);
      expect(Number.isNaN(Date.parse(m.appliedAt!))).toBe(false);
    }
    const core = status.packages.find((p) => p.package === "@ydtb/core")!;
    expect([core.pending, core.tools]).toEqual([[], []]);
    // Without the option, no listing.
    expect((await databaseStatus(db, [coreDatabase, code])).packages.every((p) => !("migrations" in p))).toBe(true);
  });
});
