import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { foreignKey, index, pgEnum, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { CORE_PACKAGE, createRegistry, SchemaValidationError, type Diagnostic } from "@ydtb/db-registry";
import { formatValidationReport, validateManifest, validateManifests } from "../src/index.ts";
import { coreDatabase, pkg, scoped, workspaces } from "./builders.ts";

const withCore = (m: Parameters<typeof validateManifest>[0], ...others: Parameters<typeof validateManifest>[0][]) => validateManifest(m, [coreDatabase, ...others]);
const goodTable = (name: string) => pgTable(name, { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

describe("what a foreign key points at", () => {
  test("a table name declared by this package and another resolves to this package's own", () => {
    const theirs = pgTable("ydtb_crm_deals", { ...scoped() }); // keyed on nothing
    const ours = goodTable("ydtb_crm_deals");
    const notes = pgTable("ydtb_crm_notes", { ...scoped(), dealId: text("deal_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.dealId], foreignColumns: [ours.workspaceId, ours.id] }),
    ]);
    const other = pkg("@ydtb/aaa", { theirs });
    // The other package first in the set, so its table is the first owner of the name.
    const report = validateManifests([other, coreDatabase, pkg("@ydtb/crm", { deals: ours, notes })], { packages: ["@ydtb/crm"], rules: ["cross-workspace-reference"] });
    expect(report.errorCount).toBe(0);
  });

  test("a partial unique index is no key a foreign key can target", () => {
    const deals = pgTable("ydtb_crm_deals", { ...scoped(), live: text("live") }, (t) => [
      index("ydtb_crm_deals_ws_idx").on(t.workspaceId),
      uniqueIndex("ydtb_crm_deals_live_idx").on(t.workspaceId, t.id).where(sql`${t.live} is not null`),
    ]);
    const notes = pgTable("ydtb_crm_notes", { ...scoped(), dealId: text("deal_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.dealId], foreignColumns: [deals.workspaceId, deals.id] }),
    ]);
    const found = withCore(pkg("@ydtb/crm", { deals, notes })).diagnostics.filter((d) => d.rule === "cross-workspace-reference");
    expect(found.map((d) => d.table)).toEqual(["ydtb_crm_notes"]);
  });
});

describe("suggested code keeps what the author wrote", () => {
  test("a timestamp's precision and string mode", () => {
    const t = pgTable("ydtb_crm_t", { ...scoped(), at: timestamp("at", { precision: 3, mode: "string" }).notNull() }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] })]);
    const suggestion = withCore(pkg("@ydtb/crm", { t })).diagnostics.find((d) => d.rule === "column-types")?.suggestion;
    expect(suggestion).toContain('t.at: build it as timestamp("at", { withTimezone: true, precision: 3, mode: "string" }), the rest of its chain kept');
  });

  test("a partial unique index's where", () => {
    const t = pgTable("ydtb_crm_t", { ...scoped(), code: text("code") }, (tb) => [
      primaryKey({ columns: [tb.workspaceId, tb.id] }),
      uniqueIndex("ydtb_crm_t_code_idx").on(tb.code).where(sql`${tb.code} is not null`),
    ]);
    const d = withCore(pkg("@ydtb/crm", { t })).diagnostics.find((d) => d.rule === "unique-includes-workspace");
    // The where is kept as written: workspace_id goes first in .on(…), nothing else changes.
    expect(d?.fixes?.[0]?.edits).toEqual([{ kind: "first-on", table: "t", entry: { call: "uniqueIndex", name: "ydtb_crm_t_code_idx", on: ["code"] }, column: "workspaceId" }]);
    expect(d?.suggestion).toBe('// in uniqueIndex("ydtb_crm_t_code_idx").on(t.code) of t: t.workspaceId first in its .on(…), the rest as written');
  });

  test("an unnamed index is named as drizzle-kit names it", () => {
    const t = pgTable("ydtb_crm_t", { ...scoped() }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] }), index().using("btree", tb.workspaceId.op("uuid_ops"))]);
    expect(withCore(pkg("@ydtb/crm", { t })).diagnostics.find((d) => d.rule === "operator-class")?.index).toBe("ydtb_crm_t_workspace_id_index");
  });
});

describe("core's names are checked too", () => {
  test("an enum of @ydtb/core without the ydtb_ prefix is a shared-names error", () => {
    const core = pkg(CORE_PACKAGE, { workspaces: pgTable("ydtb_workspaces", { id: varchar("id", { length: 20 }).primaryKey() }), role: pgEnum("role", ["owner"]) }, {
      dependencies: {},
      globalTables: { ydtb_workspaces: "root" },
    });
    expect(validateManifest(core).diagnostics.filter((d) => d.rule === "shared-names").length).toBe(1);
  });
});

describe("registration and the text report", () => {
  test("a single validation error refuses the registration", () => {
    const one: Diagnostic = { rule: "x", severity: "error", package: "@ydtb/crm", message: "m" };
    const registry = createRegistry({ validate: () => ({ diagnostics: [one], exempted: [] }) });
    expect(() => registry.registerDatabase(pkg("@ydtb/crm", { t: goodTable("ydtb_crm_t") }))).toThrow(SchemaValidationError);
    expect(registry.list()).toEqual([]);
  });

  test("a package with warnings only shows its counts in its header", () => {
    const t = pgTable("ydtb_crm_t", { ...scoped(), at: timestamp("at") }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] })]);
    const text = formatValidationReport(validateManifests([coreDatabase, pkg("@ydtb/crm", { t })]));
    expect(text.split("\n").find((l) => l.startsWith("@ydtb/crm:"))).toBe("@ydtb/crm: ok, 0 errors, 1 warning");
    expect(text.split("\n").find((l) => l.startsWith("@ydtb/core:"))).toBe("@ydtb/core: ok");
  });

  test("a uuid workspace column is reported at the column, with the type fix", () => {
    const t = pgTable("ydtb_crm_t", { workspaceId: uuid("workspace_id").notNull(), id: text("id").notNull() }, (tb) => [primaryKey({ columns: [tb.workspaceId, tb.id] }), unique().on(tb.workspaceId, tb.id)]);
    const d = withCore(pkg("@ydtb/crm", { t })).diagnostics.find((x) => x.rule === "workspace-column");
    expect(d?.column).toBe("workspace_id");
    expect(d?.fixes?.[0]?.edits[0]).toEqual({ kind: "edit-column", table: "t", column: "workspaceId", builder: 'varchar("workspace_id", { length: 20 })' });
  });
});

describe("cross-workspace-reference suggestions, shape by shape", () => {
  const notes = goodTable("ydtb_crm_notes");
  const suggestionFor = (refs: unknown, ...more: unknown[]) =>
    withCore(pkg("@ydtb/crm", { notes, refs, ...Object.fromEntries(more.map((t, i) => [`t${i}`, t])) })).diagnostics.find((d) => d.rule === "cross-workspace-reference")?.suggestion;

  test("workspace_id paired with another column: the suggestion pairs them straight", () => {
    const refs = pgTable("ydtb_crm_refs", { ...scoped(), noteId: text("note_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.id, notes.workspaceId] }),
    ]);
    expect(suggestionFor(refs)).toContain("\nforeignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }),");
  });

  test("workspace_id second in the referencing columns, first in the referenced: paired by meaning", () => {
    const refs = pgTable("ydtb_crm_refs", { ...scoped(), noteId: text("note_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.noteId, t.workspaceId], foreignColumns: [notes.workspaceId, notes.id] }),
    ]);
    expect(suggestionFor(refs)).toContain("\nforeignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }),");
  });

  test("a composite key onto columns no key covers: the suggestion is the unique for the target", () => {
    const target = pgTable("ydtb_crm_target", { ...scoped(), code: text("code").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const refs = pgTable("ydtb_crm_refs", { ...scoped(), code: text("code").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.code], foreignColumns: [target.workspaceId, target.code] }),
    ]);
    expect(suggestionFor(refs, target)).toContain("// in the extra config of t0, (t) => [ … ]:\nunique().on(t.workspaceId, t.code),");
  });
});

describe("the workspace key is one column", () => {
  test("a composite key from (workspace_id, x) to ydtb_workspaces is not the workspace foreign key", () => {
    const t = pgTable("ydtb_crm_t", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), slug: text("slug").notNull(), id: text("id").notNull() }, (tb) => [
      primaryKey({ columns: [tb.workspaceId, tb.id] }),
      foreignKey({ columns: [tb.workspaceId, tb.slug], foreignColumns: [workspaces.id, workspaces.slug] }).onDelete("cascade"),
    ]);
    expect(withCore(pkg("@ydtb/crm", { t })).diagnostics.filter((d) => d.rule === "workspace-foreign-key").map((d) => d.column)).toEqual(["workspace_id"]);
  });
});

describe("primary key names are in the shared namespace", () => {
  test("an index named like another table's primary key (<table>_pkey) clashes", () => {
    const sales = pkg("@ydtb/sales", { deals: pgTable("ydtb_sales_deals", { ...scoped(), code: text("code").primaryKey() }) }, { globalTables: { ydtb_sales_deals: "x" } });
    const mine = pgTable("ydtb_crm_deals", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ydtb_sales_deals_pkey").on(t.workspaceId)]);
    const report = validateManifests([coreDatabase, sales, pkg("@ydtb/crm", { mine })], { packages: ["@ydtb/crm"], rules: ["shared-names"] });
    // Two: the name lacks the package prefix, and it is the name of sales' primary key.
    expect(report.packages[0]?.diagnostics.map((d) => d.index)).toEqual(["ydtb_sales_deals_pkey", "ydtb_sales_deals_pkey"]);
  });
});
