import { describe, expect, test } from "bun:test";
import { foreignKey, pgTable, primaryKey, text, varchar } from "drizzle-orm/pg-core";
import { CORE_TABLES, graphDiagnostics, isSnakeCase, packageShortName, suggestedTableName, tablePrefixOf, toSnakeCase, validateManifest } from "../src/index.ts";
import { coreDatabase, pkg, scoped } from "./builders.ts";

describe("names", () => {
  test("isSnakeCase", () => {
    const cases: [string, boolean][] = [["workspace_id", true], ["a1_b2", true], ["x", true], ["1abc", false], ["_a", false], ["a_", false], ["a__b", false], ["workspaceId", false], ["A", false], ["a-b", false], ["", false]];
    expect(cases.map(([n]) => isSnakeCase(n))).toEqual(cases.map(([, want]) => want));
  });
  test("toSnakeCase, packageShortName, tablePrefixOf, suggestedTableName", () => {
    expect(["createdAt", "Note-Tags", "HTTPServer", "9lives", "__x__"].map(toSnakeCase)).toEqual(["created_at", "note_tags", "http_server", "t_9lives", "x"]);
    expect(["@ydtb/crm-deals", "@ydtb/a.b", "plain"].map(packageShortName)).toEqual(["crm_deals", "a_b", "plain"]);
    expect(["@ydtb/core", "@ydtb/crm"].map(tablePrefixOf)).toEqual(["ydtb_", "ydtb_crm_"]);
    expect(suggestedTableName("@ydtb/crm", "ydtb_Deals")).toBe("ydtb_crm_deals");
  });
});

describe("column-types: which varchar columns are ids", () => {
  test("id and …_id may be varchar; paid, valid and identity may not", () => {
    const t = pgTable("ydtb_crm_x", {
      ...scoped(),
      ownerId: varchar("owner_id", { length: 20 }).notNull(),
      paid: varchar("paid", { length: 5 }),
      valid: varchar("valid", { length: 5 }),
      identity: varchar("identity", { length: 5 }),
    }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] })]);
    const flagged = validateManifest(pkg("@ydtb/crm", { t }), [coreDatabase]).diagnostics.filter((d) => d.rule === "column-types").map((d) => d.column);
    expect(flagged).toEqual(["paid", "valid", "identity"]);
  });
});

describe("core-table-duplicate knows every core table", () => {
  for (const [short, core] of Object.entries(CORE_TABLES)) {
    test(`${short} → ${core}`, () => {
      const t = pgTable(`ydtb_crm_${short}`, { id: text("id").primaryKey() });
      const found = validateManifest(pkg("@ydtb/crm", { t }, { globalTables: { [`ydtb_crm_${short}`]: "ours" } }), [coreDatabase]).diagnostics.filter((d) => d.rule === "core-table-duplicate");
      expect(found.map((d) => d.table)).toEqual([`ydtb_crm_${short}`]);
    });
  }
  test("the list covers users, sessions, accounts, verifications, workspaces and members", () => {
    expect(["users", "sessions", "accounts", "verifications", "workspaces", "members"].map((s) => CORE_TABLES[s])).toEqual([
      "ydtb_users", "ydtb_sessions", "ydtb_accounts", "ydtb_verifications", "ydtb_workspaces", "ydtb_workspace_members",
    ]);
  });
});

describe("every foreign key is checked, not only the first", () => {
  test("a global table with two references to workspace tables gets two errors", () => {
    const a = pgTable("ydtb_crm_a", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const b = pgTable("ydtb_crm_b", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const g = pgTable("ydtb_crm_g", { code: text("code").primaryKey(), aWs: varchar("a_ws", { length: 20 }), aId: text("a_id"), bWs: varchar("b_ws", { length: 20 }), bId: text("b_id") }, (t) => [
      foreignKey({ columns: [t.aWs, t.aId], foreignColumns: [a.workspaceId, a.id] }),
      foreignKey({ columns: [t.bWs, t.bId], foreignColumns: [b.workspaceId, b.id] }),
    ]);
    const found = validateManifest(pkg("@ydtb/crm", { a, b, g }, { globalTables: { ydtb_crm_g: "shared" } }), [coreDatabase]).diagnostics.filter((d) => d.rule === "global-table-scope");
    expect(found.map((d) => d.column)).toEqual(["a_ws", "b_ws"]);
  });

  test("two separate dependency cycles are both reported", () => {
    const at = (name: string, deps: Record<string, string>) => pkg(name, { t: pgTable(`ydtb_${name.slice(6)}_t`, { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]) }, { dependencies: { "@ydtb/core": "*", ...deps } });
    const found = graphDiagnostics([coreDatabase, at("@ydtb/a", { "@ydtb/b": "*" }), at("@ydtb/b", { "@ydtb/a": "*" }), at("@ydtb/c", { "@ydtb/d": "*" }), at("@ydtb/d", { "@ydtb/c": "*" })]);
    expect(found.map((d) => d.package)).toEqual(["@ydtb/a", "@ydtb/c"]);
  });
});
