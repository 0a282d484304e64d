import { describe, expect, test } from "bun:test";
import { foreignKey, pgTable, pgView, primaryKey, text, unique, varchar } from "drizzle-orm/pg-core";
import { bindManifest, createRegistry, defineDatabase } from "@ydtb/db-registry";
import { formatValidationReport, validateManifest, validateManifests } from "../src/index.ts";
import { coreDatabase, pkg, scoped } from "./builders.ts";

const withCore = (m: Parameters<typeof validateManifest>[0], ...others: Parameters<typeof validateManifest>[0][]) => validateManifest(m, [coreDatabase, ...others]);
const goodTable = (name: string) => pgTable(name, { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
const rulesAt = (m: Parameters<typeof validateManifest>[0], rule: string, ...others: Parameters<typeof validateManifest>[0][]) => withCore(m, ...others).diagnostics.filter((d) => d.rule === rule);

describe("edges", () => {
  test("a schema of views only is a schema", () => {
    const t = pgTable("ydtb_core_like", { id: text("id") });
    expect(defineDatabase({ packageName: "@ydtb/v", version: "1.0.0", schema: { open: pgView("ydtb_v_open").as((qb) => qb.select().from(t)) }, migrations: [] }).tables).toEqual([]);
  });

  test("varchar lengths must match too", () => {
    const a = pgTable("ydtb_crm_a", { ...scoped(), code: varchar("code", { length: 32 }).notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique().on(t.workspaceId, t.code)]);
    const b = pgTable("ydtb_crm_b", { ...scoped(), code: varchar("code", { length: 20 }).notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.code], foreignColumns: [a.workspaceId, a.code] }),
    ]);
    expect(rulesAt(pkg("@ydtb/crm", { a, b }), "foreign-key-type").map((d) => d.column)).toEqual(["code"]);
  });

  test("a prefixed index named like another package's prefixed table clashes (one diagnostic: the clash)", () => {
    const other = pkg("@ydtb/sales", { deals: goodTable("ydtb_crm_archive") });
    const mine = pgTable("ydtb_crm_deals", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique("ydtb_crm_archive").on(t.workspaceId, t.id)]);
    const report = validateManifests([coreDatabase, other, pkg("@ydtb/crm", { mine })], { packages: ["@ydtb/crm"], rules: ["shared-names"] });
    expect(report.packages[0]?.diagnostics.map((d) => d.constraint)).toEqual(["ydtb_crm_archive"]);
  });

  test("a workspace table without workspace_id is not checked as a global one", () => {
    const deals = goodTable("ydtb_crm_deals");
    const loose = pgTable("ydtb_crm_loose", { id: text("id").primaryKey(), dealWs: varchar("deal_ws", { length: 20 }), dealId: text("deal_id") }, (t) => [
      foreignKey({ columns: [t.dealWs, t.dealId], foreignColumns: [deals.workspaceId, deals.id] }),
    ]);
    expect(rulesAt(pkg("@ydtb/crm", { deals, loose }), "global-table-scope")).toEqual([]);
  });

  test("--table leaves out what is about no table, and exempted diagnostics follow the filters", () => {
    const t = pgTable("ydtb_crm_t", { ...scoped(), at: text("at") }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] })]);
    const m = pkg("@ydtb/crm", { t, stray: pgTable("ydtb_crm_u", { ...scoped() }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] })]) }, {
      dependencies: ["@ydtb/core", "@ydtb/missing"],
      exemptions: [{ rule: "documentation", table: "ydtb_crm_u", reason: "internal" }],
      descriptions: {},
    });
    const report = validateManifests([coreDatabase, m], { packages: ["@ydtb/crm"], tables: ["ydtb_crm_t"] });
    expect(report.packages[0]?.diagnostics.every((d) => d.table === "ydtb_crm_t")).toBe(true);
    expect(report.packages[0]?.exempted).toEqual([]);
    expect(validateManifests([coreDatabase, m], { packages: ["@ydtb/crm"], tables: ["ydtb_crm_u"] }).packages[0]?.exempted).toHaveLength(3); // the table and its 2 columns
    expect(validateManifests([coreDatabase, m], { packages: ["@ydtb/crm"], rules: ["naming"] }).packages[0]?.exempted).toEqual([]);
  });

  test("the documentation summary counts columns, not the table", () => {
    const t = pgTable("ydtb_crm_t", { ...scoped() }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] })]);
    const line = formatValidationReport(validateManifests([coreDatabase, pkg("@ydtb/crm", { t }, { descriptions: {} })])).split("\n").find((l) => l.includes("[documentation]"));
    expect(line).toContain("the table and 2 columns undescribed (workspace_id, id)");
  });

  test("a unique with workspace_id anywhere in it is per workspace", () => {
    const t = pgTable("ydtb_crm_t", { ...scoped(), code: text("code").notNull() }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] }), unique().on(tb.code, tb.workspaceId)]);
    expect(rulesAt(pkg("@ydtb/crm", { t }), "unique-includes-workspace")).toEqual([]);
  });

  test("development mode: a manifest without a source replaces one with a source", () => {
    const registry = createRegistry({ mode: "development" });
    registry.registerDatabase(bindManifest(pkg("@ydtb/crm", { t: goodTable("ydtb_crm_t") }), { packageDir: "/x", source: "/x/src/database.ts" }));
    expect(registry.registerDatabase(pkg("@ydtb/crm", { t: goodTable("ydtb_crm_t") }, { version: "1.1.0" })).replaced?.version).toBe("1.0.0");
  });

  test("a package table named exactly like core's (ydtb_users) is told to reference core's", () => {
    const copy = pgTable("ydtb_users", { id: text("id").primaryKey() });
    expect(rulesAt(pkg("@ydtb/crm", { copy }, { globalTables: { ydtb_users: "ours" } }), "core-table-duplicate").map((d) => d.table)).toEqual(["ydtb_users"]);
  });
});

describe("schemas and exemptions, more edges", () => {
  test("a table in a pgSchema: the schema name is snake_case, the table name carries ydtb_", async () => {
    const { pgSchema } = await import("drizzle-orm/pg-core");
    const bad = pgSchema("CrmData");
    const t = bad.table("crm_items", { ...scoped() }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] })]);
    const outcome = withCore(pkg("@ydtb/crm", { t }, { descriptions: {} }));
    expect(outcome.diagnostics.filter((d) => d.rule === "table-prefix").map((d) => d.table)).toEqual(["CrmData.crm_items"]);
    // A prefixed schema does not prefix the table: the table's own name must start with ydtb_.
    const inOurs = pgSchema("ydtb_crm").table("crm_items", { ...scoped() }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] })]);
    expect(withCore(pkg("@ydtb/crm", { inOurs }, { descriptions: {} })).diagnostics.filter((d) => d.rule === "table-prefix").map((d) => d.table)).toEqual(["ydtb_crm.crm_items"]);
    expect(outcome.diagnostics.filter((d) => d.rule === "naming" && d.column === undefined).length).toBe(1); // the schema's case (the missing ydtb_ is table-prefix's)
  });

  test("every stale exemption is reported, the first one too", () => {
    const outcome = withCore(pkg("@ydtb/crm", { t: goodTable("ydtb_crm_t") }, {
      exemptions: [
        { rule: "naming", table: "ydtb_crm_t", reason: "a" },
        { rule: "column-types", table: "ydtb_crm_t", reason: "b" },
      ],
    }));
    expect(outcome.diagnostics.filter((d) => d.rule === "unused-exemption").length).toBe(2);
  });
});
