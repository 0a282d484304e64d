import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { customType, foreignKey, index, integer, pgEnum, pgMaterializedView, pgRole, pgSchema, pgSequence, pgTable, pgView, primaryKey, serial, text, unique, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { validateManifest, validateManifests } from "../src/index.ts";
import type { ValidationOutcome } from "@ydtb/db-registry";
import { coreDatabase, located, pkg, rulesOf, scoped, workspaces } from "./builders.ts";

/** The located diagnostics of one rule, with the constraint or index they name. */
const hits = (outcome: ValidationOutcome, rule: string) =>
  outcome.diagnostics
    .filter((d) => d.rule === rule)
    .map((d) => ({ ...located(d), ...(d.constraint !== undefined ? { constraint: d.constraint } : {}), ...(d.index !== undefined ? { index: d.index } : {}) }));
import { users } from "../../db-core/src/schema/index.ts";

const withCore = (manifest: Parameters<typeof validateManifest>[0], ...others: Parameters<typeof validateManifest>[0][]) => validateManifest(manifest, [coreDatabase, ...others]);
const goodTable = (name: string) => pgTable(name, { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
const at = (rule: string, severity: string, table: string, extra: Record<string, string> = {}) => ({ rule, severity, package: "@ydtb/crm", table, ...extra });

describe("table scope", () => {
  const countries = pgTable("ydtb_crm_countries", { code: text("code").primaryKey(), name: text("name").notNull().unique() });
  const global = { globalTables: { ydtb_crm_countries: "ISO reference data shared by every workspace" } };

  test("a global table skips the workspace rules; undeclared, the same table is a workspace-column error", () => {
    expect(withCore(pkg("@ydtb/crm", { countries }, global)).diagnostics).toEqual([]);
    expect(rulesOf(withCore(pkg("@ydtb/crm", { countries })))).toEqual(["unique-includes-workspace", "workspace-column"]);
  });

  test("a workspace table may reference a global table with a single-column key", () => {
    const deals = pgTable("ydtb_crm_deals", { ...scoped(), country: text("country").notNull().references(() => countries.code) }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    expect(withCore(pkg("@ydtb/crm", { countries, deals }, global)).diagnostics).toEqual([]);
  });

  test("a global table referencing a workspace table is an error", () => {
    const deals = goodTable("ydtb_crm_deals");
    const regions = pgTable("ydtb_crm_regions", { code: text("code").primaryKey(), dealWs: varchar("deal_ws", { length: 20 }), dealId: text("deal_id") }, (t) => [
      foreignKey({ name: "ydtb_crm_regions_deal_fk", columns: [t.dealWs, t.dealId], foreignColumns: [deals.workspaceId, deals.id] }),
    ]);
    const outcome = withCore(pkg("@ydtb/crm", { deals, regions }, { globalTables: { ydtb_crm_regions: "shared" } }));
    expect(hits(outcome, "global-table-scope")).toEqual([at("global-table-scope", "error", "ydtb_crm_regions", { column: "deal_ws", constraint: "ydtb_crm_regions_deal_fk" })]);
  });

  test("a package table copying a core table is told to reference core's", () => {
    const crmUsers = pgTable("ydtb_crm_users", { id: text("id").primaryKey(), email: text("email").notNull() });
    const outcome = withCore(pkg("@ydtb/crm", { crmUsers }, { globalTables: { ydtb_crm_users: "our own users" } }));
    expect(hits(outcome, "core-table-duplicate")).toEqual([at("core-table-duplicate", "warning", "ydtb_crm_users")]);
    expect(outcome.diagnostics.find((d) => d.rule === "core-table-duplicate")?.suggestion).toContain("ydtb_users".replace("ydtb_", ""));
    expect(hits(withCore(pkg("@ydtb/crm", { deals: goodTable("ydtb_crm_deals") })), "core-table-duplicate")).toEqual([]);
  });
});

describe("exemptions per constraint or index", () => {
  const keys = pgTable("ydtb_crm_keys", { ...scoped(), hash: text("hash").notNull(), label: text("label").notNull() }, (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    unique("ydtb_crm_keys_hash_unique").on(t.hash),
    uniqueIndex("ydtb_crm_keys_label_idx").on(t.label),
  ]);
  test("silence the one named, leave the other, and an unused one is still reported", () => {
    const outcome = withCore(
      pkg("@ydtb/crm", { keys }, {
        exemptions: [
          { rule: "unique-includes-workspace", table: "ydtb_crm_keys", constraint: "ydtb_crm_keys_hash_unique", reason: "a random secret, looked up before the workspace is known" },
          { rule: "unique-includes-workspace", table: "ydtb_crm_keys", constraint: "ydtb_crm_keys_gone_unique", reason: "stale" },
        ],
      }),
    );
    expect(outcome.exempted.map((e) => e.diagnostic.constraint)).toEqual(["ydtb_crm_keys_hash_unique"]);
    expect(hits(outcome, "unique-includes-workspace")).toEqual([at("unique-includes-workspace", "error", "ydtb_crm_keys", { column: "label", index: "ydtb_crm_keys_label_idx" })]);
    expect(hits(outcome, "unused-exemption")).toHaveLength(1);
  });
  test("a multi-column unique without workspace_id is an error at that constraint", () => {
    const pairs = pgTable("ydtb_crm_pairs", { ...scoped(), a: text("a").notNull(), b: text("b").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique("ydtb_crm_pairs_ab").on(t.a, t.b)]);
    expect(hits(withCore(pkg("@ydtb/crm", { pairs })), "unique-includes-workspace")).toEqual([at("unique-includes-workspace", "error", "ydtb_crm_pairs", { constraint: "ydtb_crm_pairs_ab" })]);
  });
});

describe("workspace foreign keys, unusual shapes", () => {
  test("a composite key with workspace_id second is composite by workspace", () => {
    const deals = goodTable("ydtb_crm_deals");
    const notes = pgTable("ydtb_crm_notes", { ...scoped(), dealId: text("deal_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.dealId, t.workspaceId], foreignColumns: [deals.id, deals.workspaceId] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/crm", { deals, notes })), "cross-workspace-reference")).toEqual([]);
  });
  test("workspace_id referencing ydtb_workspaces.slug is a workspace-foreign-key error", () => {
    const bySlug = pgTable("ydtb_crm_byslug", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.slug] }).onDelete("cascade"),
    ]);
    expect(hits(withCore(pkg("@ydtb/crm", { bySlug })), "workspace-foreign-key")).toEqual([at("workspace-foreign-key", "error", "ydtb_crm_byslug", { column: "workspace_id" })]);
  });
});

describe("foreign-key-type and operator-class", () => {
  test("a foreign-key column of another type than the referenced one is an error", () => {
    const owners = pgTable("ydtb_crm_owners", { ...scoped(), userId: uuid("user_id").notNull().references(() => users.id) }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const outcome = withCore(pkg("@ydtb/crm", { owners }));
    expect(hits(outcome, "foreign-key-type")).toEqual([at("foreign-key-type", "error", "ydtb_crm_owners", { column: "user_id", constraint: "ydtb_crm_owners_user_id_ydtb_users_id_fk" })]);
    expect(outcome.diagnostics.find((d) => d.rule === "foreign-key-type")?.suggestion).toContain('userId: build it as text("user_id")');
  });
  test("a serial key referenced by an integer column is the same type", () => {
    const a = pgTable("ydtb_crm_a", { ...scoped(), n: serial("n").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique().on(t.workspaceId, t.n)]);
    const b = pgTable("ydtb_crm_b", { ...scoped(), n: integer("n").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), foreignKey({ columns: [t.workspaceId, t.n], foreignColumns: [a.workspaceId, a.n] })]);
    expect(hits(withCore(pkg("@ydtb/crm", { a, b })), "foreign-key-type")).toEqual([]);
  });
  test("an operator class of another type is an error at the index", () => {
    const t1 = pgTable("ydtb_crm_t1", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ydtb_crm_t1_ws_idx").using("btree", t.workspaceId.op("uuid_ops"))]);
    const outcome = withCore(pkg("@ydtb/crm", { t1 }));
    expect(hits(outcome, "operator-class")).toEqual([at("operator-class", "error", "ydtb_crm_t1", { column: "workspace_id", index: "ydtb_crm_t1_ws_idx" })]);
    const fine = pgTable("ydtb_crm_t1", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ydtb_crm_t1_ws_idx").using("btree", t.workspaceId.op("text_ops"))]);
    expect(hits(withCore(pkg("@ydtb/crm", { t1: fine })), "operator-class")).toEqual([]);
  });
});

describe("shared-names", () => {
  test("two packages creating the same enum is an error in each", () => {
    const a = pkg("@ydtb/crm", { deals: goodTable("ydtb_crm_deals"), status: pgEnum("ydtb_crm_status", ["open"]) });
    const b = pkg("@ydtb/sales", { deals: goodTable("ydtb_sales_deals"), status: pgEnum("ydtb_crm_status", ["open"]) });
    const report = validateManifests([coreDatabase, a, b], { rules: ["shared-names"] });
    expect(report.packages.map((p) => [p.package, p.diagnostics.length])).toEqual([["@ydtb/core", 0], ["@ydtb/crm", 1], ["@ydtb/sales", 2]]); // sales' enum is not prefixed either
  });
  test("enums, sequences, views, schemas, roles and index names carry the package prefix", () => {
    const deals = pgTable("ydtb_crm_deals", { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("deals_title_idx").on(t.workspaceId, t.title)]);
    const schema = {
      deals,
      mood: pgEnum("mood", ["a"]),
      counter: pgSequence("counter"),
      open: pgView("open_deals").as((qb) => qb.select().from(deals)),
      totals: pgMaterializedView("ydtb_crm_totals").as((qb) => qb.select().from(deals)),
      space: pgSchema("crm"),
      reader: pgRole("reader"),
    };
    const outcome = withCore(pkg("@ydtb/crm", schema));
    const named = hits(outcome, "shared-names").map((h) => h.index ?? h.table ?? "-");
    expect(outcome.diagnostics.filter((d) => d.rule === "shared-names")).toHaveLength(6);
    expect(named).toContain("deals_title_idx");
    const good = withCore(pkg("@ydtb/crm", { deals: goodTable("ydtb_crm_deals"), mood: pgEnum("ydtb_crm_mood", ["a"]), space: pgSchema("ydtb_crm"), reader: pgRole("ydtb_crm_reader"), totals: schema.totals }));
    expect(hits(good, "shared-names")).toEqual([]);
  });
  test("an index named like another package's table is a clash", () => {
    const other = pkg("@ydtb/sales", { deals: goodTable("ydtb_sales_deals") });
    const mine = pgTable("ydtb_crm_deals", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ydtb_sales_deals").on(t.workspaceId)]);
    expect(hits(withCore(pkg("@ydtb/crm", { mine }), other), "shared-names").length).toBeGreaterThan(0);
  });
});

describe("views and other exports", () => {
  test("a view, a materialized view and a schema in the schema module validate; constants are ignored", () => {
    const deals = goodTable("ydtb_crm_deals");
    const manifest = pkg("@ydtb/crm", {
      deals,
      open: pgView("ydtb_crm_open").with({ securityInvoker: true }).as((qb) => qb.select().from(deals).where(sql`${deals.title} <> ''`)),
      totals: pgMaterializedView("ydtb_crm_totals").as((qb) => qb.select().from(deals)),
      space: pgSchema("ydtb_crm"),
      LIMIT: 10,
      Kind: { A: "a" },
      money: customType<{ data: number }>({ dataType: () => "numeric" }),
    }, { globalTables: { ydtb_crm_totals: "totals for the operators" } }); // view-isolation: security_invoker, declared global
    expect(withCore(manifest).diagnostics).toEqual([]);
    expect(validateManifests([coreDatabase, manifest]).packages[1]?.ignoredExports).toEqual(["LIMIT", "Kind", "money"]);
  });
});

describe("the less common shapes", () => {
  test("an explicit unique constraint named like another package's index is a clash", () => {
    const other = pkg("@ydtb/sales", { deals: pgTable("ydtb_sales_deals", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ydtb_shared_name").on(t.workspaceId)]) });
    const mine = pgTable("ydtb_crm_deals", { ...scoped(), code: text("code").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique("ydtb_shared_name").on(t.workspaceId, t.code)]);
    expect(hits(withCore(pkg("@ydtb/crm", { mine }), other), "shared-names")).toContainEqual(at("shared-names", "error", "ydtb_crm_deals", { constraint: "ydtb_shared_name" }));
  });

  test("a global table may reference another global table, even one that carries a workspace_id", () => {
    const plans = pgTable("ydtb_crm_plans", { code: text("code").primaryKey(), workspaceId: varchar("workspace_id", { length: 20 }) });
    const tiers = pgTable("ydtb_crm_tiers", { code: text("code").primaryKey(), plan: text("plan").references(() => plans.code) });
    const outcome = withCore(pkg("@ydtb/crm", { plans, tiers }, { globalTables: { ydtb_crm_plans: "catalog", ydtb_crm_tiers: "catalog" } }));
    expect(hits(outcome, "global-table-scope")).toEqual([]);
  });

  test("serial → text names the referencing columns of other packages too", () => {
    const parents = pgTable("ydtb_crm_parents", { workspaceId: scoped().workspaceId, id: serial("id").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const children = pgTable("ydtb_sales_children", { ...scoped(), parentId: integer("parent_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.parentId], foreignColumns: [parents.workspaceId, parents.id] }),
    ]);
    const crm = pkg("@ydtb/crm", { parents });
    const sales = pkg("@ydtb/sales", { children }, { dependencies: { "@ydtb/core": "*", "@ydtb/crm": "*" } });
    const report = validateManifests([coreDatabase, crm, sales], { rules: ["column-types"], packages: ["@ydtb/crm"] });
    // Another package's column is its author's to change: named in the message, not edited by the fix.
    expect(report.packages[0]?.diagnostics[0]?.message).toMatch(/parent_id/);
    expect(report.packages[0]?.diagnostics[0]?.suggestion).not.toContain("parent_id");
  });

  test("an unnamed unique index is reported under the name drizzle-kit gives it", async () => {
    const { generateDrizzleJson } = await import("drizzle-kit/api");
    const links = pgTable("ydtb_crm_links", { ...scoped(), code: text("code").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex().on(t.code)]);
    const reported = hits(withCore(pkg("@ydtb/crm", { links })), "unique-includes-workspace")[0]?.index;
    const snapshot = generateDrizzleJson({ links }) as { tables: Record<string, { indexes: Record<string, { name: string }> }> };
    expect(reported).toBe(Object.values(snapshot.tables["public.ydtb_crm_links"]?.indexes ?? {})[0]?.name);
  });

  test("every column of a composite foreign key is compared, not only the first", () => {
    const deals = goodTable("ydtb_crm_deals");
    const notes = pgTable("ydtb_crm_notes", { ...scoped(), dealId: uuid("deal_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.dealId], foreignColumns: [deals.workspaceId, deals.id] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/crm", { deals, notes })), "foreign-key-type").map((h) => h.column)).toEqual(["deal_id"]);
  });
});

describe("more shapes the rules must see", () => {
  test("a foreign-key column fixed to a varchar keeps the referenced length", () => {
    const codes = pgTable("ydtb_crm_codes", { ...scoped(), code: varchar("code", { length: 32 }).notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique().on(t.workspaceId, t.code)]);
    const uses = pgTable("ydtb_crm_uses", { ...scoped(), code: text("code").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.code], foreignColumns: [codes.workspaceId, codes.code] }),
    ]);
    const outcome = withCore(pkg("@ydtb/crm", { codes, uses }));
    expect(outcome.diagnostics.find((d) => d.rule === "foreign-key-type")?.suggestion).toContain('code: build it as varchar("code", { length: 32 })');
  });

  test("an enum named like another package's view clashes (both are types)", () => {
    const deals = goodTable("ydtb_sales_deals");
    const sales = pkg("@ydtb/sales", { deals, open: pgView("ydtb_sales_open").as((qb) => qb.select().from(deals)) });
    const crm = pkg("@ydtb/crm", { deals: goodTable("ydtb_crm_deals"), open: pgEnum("ydtb_sales_open", ["a"]) });
    const report = validateManifests([coreDatabase, sales, crm], { rules: ["shared-names"], packages: ["@ydtb/crm"] });
    expect(report.packages[0]?.diagnostics.length).toBe(2); // not prefixed, and the clash
  });

  test("workspace_id referencing another table's id is a workspace-foreign-key error", () => {
    const spaces = pgTable("ydtb_crm_spaces", { id: varchar("id", { length: 20 }).primaryKey() });
    const items = pgTable("ydtb_crm_items", { workspaceId: varchar("workspace_id", { length: 20 }).notNull().references(() => spaces.id, { onDelete: "cascade" }), id: text("id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
    ]);
    const outcome = withCore(pkg("@ydtb/crm", { spaces, items }, { globalTables: { ydtb_crm_spaces: "our spaces" } }));
    expect(hits(outcome, "workspace-foreign-key")).toEqual([at("workspace-foreign-key", "error", "ydtb_crm_items", { column: "workspace_id" })]);
  });

  test("two manifests of one package claiming a table are reported", () => {
    const first = pkg("@ydtb/crm", { deals: goodTable("ydtb_crm_deals") });
    const second = pkg("@ydtb/crm", { deals: goodTable("ydtb_crm_deals") }, { version: "2.0.0" });
    const report = validateManifests([coreDatabase, first, second], { rules: ["table-ownership"] });
    expect(report.packages.map((p) => p.errorCount)).toEqual([0, 1, 1]);
  });
});
