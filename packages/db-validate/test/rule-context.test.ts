import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { index, pgTable, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { bindManifest } from "@ydtb/db-registry";
import { buildTableIndex, createRuleContext, indexEntry, manifestTables, workspaceTables } from "../src/rule.ts";
import { coreDatabase, pkg } from "./builders.ts";

// The context every rule reads: what a name resolves to, the names suggested code uses. Pure.

const table = (name: string) => pgTable(name, { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), noteId: text("note_id"), id: text("id") });

describe("createRuleContext", () => {
  const mine = table("ydtb_c_items");
  const twin = table("ydtb_c_items");
  const manifest = pkg("@ydtb/c", { mine, again: mine, shared: table("ydtb_c_shared"), global: table("ydtb_c_global") }, { globalTables: { ydtb_c_global: "shared by all" } });
  const other = pkg("@ydtb/other", { twin, shared: table("ydtb_c_shared"), old: table("ydtb_c_old") });
  const earlier = bindManifest(pkg("@ydtb/c", { old: table("ydtb_c_old") }), { packageDir: "/old" });

  test("a name resolves to this manifest's table first, then another manifest of this package, then the first owner", () => {
    const ctx = createRuleContext(manifest, buildTableIndex([other, earlier, coreDatabase, manifest]), [], []);
    expect(ctx.resolve("ydtb_c_items")?.manifest).toBe(manifest);
    expect(ctx.resolve(twin)?.manifest).toBe(manifest);
    expect(ctx.resolve("ydtb_c_old")?.manifest).toBe(earlier);
    expect(ctx.resolve("ydtb_workspaces")?.manifest).toBe(coreDatabase);
    expect(ctx.resolve("ydtb_nowhere")).toBeUndefined();
    expect(ctx.owners("ydtb_c_shared").map((o) => o.manifest.packageName)).toEqual(["@ydtb/other", "@ydtb/c"]);
    expect([ctx.isCore, ctx.packageName, ctx.manifests.length]).toEqual([false, "@ydtb/c", 4]);
    const alone = createRuleContext(manifest, buildTableIndex([manifest]), [], []);
    expect(alone.manifests).toEqual([manifest]);
  });

  test("tables once each in export order; the workspace tables leave out the global ones", () => {
    const ctx = createRuleContext(manifest, buildTableIndex([manifest]), [], []);
    expect(manifestTables(manifest).map((t) => t.name)).toEqual(["ydtb_c_items", "ydtb_c_shared", "ydtb_c_global"]);
    expect(workspaceTables(ctx).map((t) => t.name)).toEqual(["ydtb_c_items", "ydtb_c_shared"]);
    expect(ctx.isWorkspaceScoped({ manifest, info: manifestTables(manifest)[2]! })).toBe(false);
    expect(createRuleContext(coreDatabase, buildTableIndex([coreDatabase]), [], []).isCore).toBe(true);
  });

  test("suggested code names a table by its export (the first one), a column by its key, and guesses both otherwise", () => {
    const ctx = createRuleContext(manifest, buildTableIndex([manifest, coreDatabase]), [], []);
    const [items] = manifestTables(manifest);
    expect(ctx.variableOf({ manifest, info: items! })).toBe("mine");
    expect(ctx.variableOf({ manifest: coreDatabase, info: manifestTables(manifest)[1]! })).toBe("cShared");
    expect(ctx.variableOf({ manifest: coreDatabase, info: { ...items!, baseName: "ydtb_9_x" } })).toBe("x");
    expect(ctx.variableOf({ manifest: coreDatabase, info: { ...items!, baseName: "ydtb_" } })).toBe("table");
    expect([ctx.keyOf(items!, "note_id"), ctx.keyOf(items!, "other_col")]).toEqual(["noteId", "otherCol"]);
  });
});

describe("indexEntry", () => {
  test("a named index by its builder and name; an unnamed one by the keys of its columns, an expression as <expression>", () => {
    const t = pgTable("ydtb_c_idx", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), noteId: text("note_id") }, (c) => [
      index("ydtb_c_idx_ws_idx").on(c.workspaceId),
      uniqueIndex().on(c.workspaceId, c.noteId),
      index().on(c.workspaceId, sql`lower(${c.noteId})`),
    ]);
    const manifest = pkg("@ydtb/c", { t });
    const ctx = createRuleContext(manifest, buildTableIndex([manifest]), [], []);
    const info = manifestTables(manifest)[0]!;
    expect(info.config.indexes.map((i) => indexEntry(ctx, info, i))).toEqual([
      { call: "index", name: "ydtb_c_idx_ws_idx" },
      { call: "uniqueIndex", on: ["workspaceId", "noteId"] },
      { call: "index", on: ["workspaceId", "<expression>"] },
    ]);
  });
});
