import { expect, test } from "bun:test";
import { describeDatabases } from "@ydtb/test-db";
import { defineDatabase, ToolConflictError } from "@ydtb/db-registry";
import { pgTable, text, varchar } from "drizzle-orm/pg-core";
import { eq } from "drizzle-orm";
import { disableTool, enableTool, listTools, listWorkspaceTools, syncTools, ToolError, tools, workspaces } from "../src/index.ts";
import { applyFile } from "./apply-sql.ts";

const pkg = (name: string, toolList: { id: string; name: string; description?: string }[]) =>
  defineDatabase({
    packageName: name,
    version: "1.0.0",
    schema: { t: pgTable(`ydtb_${name.split("/")[1]}_t`, { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id") }) },
    migrations: [],
    tools: toolList,
  });

const codeOf = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    await p;
  } catch (error) {
    if (error instanceof ToolError || error instanceof ToolConflictError) return error.code;
    throw error;
  }
  return undefined;
};

describeDatabases("tools", (target) => {
  test("sync inserts, updates, deactivates (never deletes) and is a no-op when nothing changed", async () => {
    const db = await target.fresh();
    await applyFile(db, "0000_core.sql");
    const a = pkg("@ydtb/a", [{ id: "notes", name: "Notes" }, { id: "tasks", name: "Tasks" }]);
    const b = pkg("@ydtb/b", [{ id: "crm", name: "CRM" }]);
    expect(await syncTools(db.orm, [a, b])).toEqual({ inserted: 3, updated: 0, deactivated: 0 });
    expect(await syncTools(db.orm, [a, b])).toEqual({ inserted: 0, updated: 0, deactivated: 0 });
    const a2 = pkg("@ydtb/a", [{ id: "notes", name: "Notes", description: "Now described" }, { id: "tasks", name: "Tasks" }]);
    expect(await syncTools(db.orm, [a2])).toEqual({ inserted: 0, updated: 1, deactivated: 1 });
    const rows = await listTools(db.orm);
    expect(rows.map((t) => [t.id, t.isActive, t.packageName])).toEqual([
      ["notes", true, "@ydtb/a"],
      ["tasks", true, "@ydtb/a"],
      ["crm", false, "@ydtb/b"],
    ]);
    expect(rows[0]?.description).toBe("Now described");
    // The package comes back: its tool is reactivated.
    expect(await syncTools(db.orm, [a2, b])).toEqual({ inserted: 0, updated: 1, deactivated: 0 });
    expect(await codeOf(syncTools(db.orm, [a, pkg("@ydtb/c", [{ id: "notes", name: "Clash" }])]))).toBe("TOOL_CONFLICT");
  });

  test("a partial sync (some packages only) never deactivates the other packages' tools", async () => {
    const db = await target.fresh();
    await applyFile(db, "0000_core.sql");
    const a = pkg("@ydtb/a", [{ id: "notes", name: "Notes" }, { id: "tasks", name: "Tasks" }]);
    const b = pkg("@ydtb/b", [{ id: "crm", name: "CRM" }]);
    await syncTools(db.orm, [a, b]);
    // Only @ydtb/b is given, and it still declares its tool: nothing to change.
    expect(await syncTools(db.orm, [b], { scope: "listed" })).toEqual({ inserted: 0, updated: 0, deactivated: 0 });
    // A listed package that dropped a tool still gets it deactivated.
    const aWithout = pkg("@ydtb/a", [{ id: "notes", name: "Notes" }]);
    expect(await syncTools(db.orm, [aWithout], { scope: "listed" })).toEqual({ inserted: 0, updated: 0, deactivated: 1 });
    expect((await listTools(db.orm)).map((t) => [t.id, t.isActive])).toEqual([
      ["crm", true],
      ["notes", true],
      ["tasks", false],
    ]);
  });

  test("enable and disable per workspace, with clear errors; a deleted workspace takes its rows", async () => {
    const db = await target.fresh();
    await applyFile(db, "0000_core.sql");
    await syncTools(db.orm, [pkg("@ydtb/a", [{ id: "notes", name: "Notes" }]), pkg("@ydtb/b", [{ id: "crm", name: "CRM" }])]);
    await db.orm.insert(workspaces).values([{ id: "ws_1", name: "One", slug: "one" }, { id: "ws_2", name: "Two", slug: "two" }]);
    expect(await enableTool(db.orm, "ws_1", "notes")).toBe(true);
    expect(await enableTool(db.orm, "ws_1", "notes")).toBe(false);
    expect(await enableTool(db.orm, "ws_1", "crm")).toBe(true);
    expect(await enableTool(db.orm, "ws_2", "notes")).toBe(true);
    expect((await listWorkspaceTools(db.orm, "ws_1")).map((w) => w.tool.id)).toEqual(["crm", "notes"]);
    expect(await codeOf(enableTool(db.orm, "ws_1", "nope"))).toBe("UNKNOWN_TOOL");
    expect(await codeOf(enableTool(db.orm, "ws_9", "notes"))).toBe("UNKNOWN_WORKSPACE");
    expect(await codeOf(disableTool(db.orm, "ws_9", "notes"))).toBe("UNKNOWN_WORKSPACE");
    await syncTools(db.orm, [pkg("@ydtb/a", [{ id: "notes", name: "Notes" }])]);
    expect(await codeOf(enableTool(db.orm, "ws_2", "crm"))).toBe("INACTIVE_TOOL");
    expect(await disableTool(db.orm, "ws_1", "crm")).toBe(true);
    expect(await disableTool(db.orm, "ws_1", "crm")).toBe(false);
    await db.orm.delete(workspaces).where(eq(workspaces.id, "ws_1"));
    expect(await listWorkspaceTools(db.orm, "ws_1")).toEqual([]);
    expect((await listWorkspaceTools(db.orm, "ws_2")).map((w) => w.tool.id)).toEqual(["notes"]);
  });

  test("the phase-1 data migration moves known ids, keeps unknown ones, and its down writes them back", async () => {
    const db = await target.fresh();
    await applyFile(db, "0000_core.sql");
    await db.orm.insert(tools).values([
      { id: "notes", name: "Notes", packageName: "@ydtb/basic" },
      { id: "crm", name: "CRM", packageName: "@ydtb/crm" },
    ]);
    await db.orm.insert(workspaces).values([
      { id: "ws_1", name: "One", slug: "one", metadata: { tools: ["notes", "ghost", "crm"], theme: "dark" } },
      { id: "ws_2", name: "Two", slug: "two", metadata: { tools: ["crm"] } },
      { id: "ws_3", name: "Three", slug: "three", metadata: {} },
      { id: "ws_4", name: "Four", slug: "four", metadata: { tools: "not-an-array" } },
    ]);
    await applyFile(db, "0001_tools_phase2.sql");
    const enabled = async () =>
      (await db.query<{ workspace_id: string; tool_id: string }>("SELECT workspace_id, tool_id FROM ydtb_workspace_tools ORDER BY 1, 2")).map((r) => `${r.workspace_id}:${r.tool_id}`);
    const metadata = async () =>
      Object.fromEntries((await db.orm.select({ id: workspaces.id, metadata: workspaces.metadata }).from(workspaces).orderBy(workspaces.id)).map((r) => [r.id, r.metadata]));
    expect(await enabled()).toEqual(["ws_1:crm", "ws_1:notes", "ws_2:crm"]);
    expect(await metadata()).toEqual({
      ws_1: { tools: ["ghost"], theme: "dark" },
      ws_2: {},
      ws_3: {},
      ws_4: { tools: "not-an-array" },
    });
    await applyFile(db, "0001_tools_phase2.down.sql");
    expect(await enabled()).toEqual([]);
    const back = await metadata();
    expect((back.ws_1 as { tools: string[] }).tools.sort()).toEqual(["crm", "ghost", "notes"]);
    expect(back.ws_2).toEqual({ tools: ["crm"] });
    expect(back.ws_3).toEqual({});
    // Up again: the same result as the first time.
    await applyFile(db, "0001_tools_phase2.sql");
    expect(await enabled()).toEqual(["ws_1:crm", "ws_1:notes", "ws_2:crm"]);
  });
});
