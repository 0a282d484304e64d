import { expect, test } from "bun:test";
import type { SqlSession } from "@ydtb/db-client";
import { describeDatabases } from "@ydtb/test-db";
import { eq, getTableName } from "drizzle-orm";
import coreDatabase from "../src/database.ts";
import { applyFile } from "./apply-sql.ts";
import { tools, workspaces, workspaceTools } from "../src/schema/index.ts";


const tablesOf = async (db: SqlSession) =>
  (
    await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    )
  ).map((r) => r.table_name);

describeDatabases("core schema", (target) => {
  test("the committed migration creates every core table, and its down removes them", async () => {
    const db = await target.fresh();
    await applyFile(db, "0000_core.sql");
    expect(await tablesOf(db)).toEqual(coreDatabase.tables.map((t) => getTableName(t)).sort());

    // Workspace tools: unique per workspace, removed with the workspace.
    await db.orm.insert(workspaces).values({ id: "ws_1", name: "One", slug: "one" });
    await db.orm.insert(tools).values({ id: "notes", name: "Notes", packageName: "@ydtb/basic" });
    await db.orm.insert(workspaceTools).values({ workspaceId: "ws_1", toolId: "notes" });
    await expect(db.orm.insert(workspaceTools).values({ workspaceId: "ws_1", toolId: "notes" }).execute()).rejects.toThrow();
    await expect(db.orm.insert(workspaces).values({ id: "ws_2", name: "Two", slug: "one" }).execute()).rejects.toThrow();
    await expect(db.orm.insert(workspaces).values({ id: "w".repeat(21), name: "Long", slug: "long" }).execute()).rejects.toThrow();
    await db.orm.delete(workspaces).where(eq(workspaces.id, "ws_1"));
    expect(await db.orm.select().from(workspaceTools)).toEqual([]);

    await applyFile(db, "0000_core.down.sql");
    expect(await tablesOf(db)).toEqual([]);
  });
});

test("the @ydtb/core manifest covers the schema", () => {
  expect(coreDatabase.packageName).toBe("@ydtb/core");
  expect(Object.keys(coreDatabase.dependencies)).toEqual([]);
  expect(coreDatabase.tables).toHaveLength(8);
});
