import { describe, expect, test } from "bun:test";
import { bigint, boolean, date, doublePrecision, index, integer, jsonb, numeric, pgTable, primaryKey, real, smallint, text, timestamp, uuid, varchar, type PgColumnBuilderBase } from "drizzle-orm/pg-core";
import { formatValidationReport, graphDiagnostics, OPERATOR_CLASS_TYPES, validateManifest, validateManifests } from "../src/index.ts";
import { coreDatabase, pkg, scoped } from "./builders.ts";

const goodTable = (name: string) => pgTable(name, { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
// One error (a global unique) and documentation warnings (nothing described) in @ydtb/crm.
const messy = () =>
  pkg("@ydtb/crm", { deals: pgTable("ydtb_crm_deals", { ...scoped(), code: text("code").notNull().unique(), title: text("title") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]) }, { descriptions: {} });

describe("validateManifests options and totals", () => {
  test("per-package totals and ok; the report's totals are their sums", () => {
    const report = validateManifests([coreDatabase, messy(), pkg("@ydtb/notes", { items: goodTable("ydtb_notes_items") })]);
    expect(report.packages.map((p) => [p.package, p.ok, p.errorCount > 0, p.warningCount > 0])).toEqual([
      ["@ydtb/core", true, false, false],
      ["@ydtb/crm", false, true, true],
      ["@ydtb/notes", true, false, false],
    ]);
    expect(report.errorCount).toBe(report.packages.reduce((n, p) => n + p.errorCount, 0));
    expect(report.ok).toBe(false);
  });

  test("packages, rules, tables and errorsOnly filter what is reported, each alone", () => {
    const all = [coreDatabase, messy(), pkg("@ydtb/notes", { items: goodTable("ydtb_notes_items") })];
    expect(validateManifests(all, { packages: ["@ydtb/notes"] })).toMatchObject({ ok: true, errorCount: 0, packages: [{ package: "@ydtb/notes" }] });
    const errorsOnly = validateManifests(all, { errorsOnly: true });
    expect(errorsOnly.warningCount).toBe(0);
    expect(errorsOnly.errorCount).toBe(validateManifests(all).errorCount);
    expect(new Set(validateManifests(all, { rules: ["documentation"] }).packages.flatMap((p) => p.diagnostics.map((d) => d.rule)))).toEqual(new Set(["documentation"]));
    const tables = validateManifests(all, { tables: ["ydtb_notes_items"] });
    expect(tables.packages.flatMap((p) => p.diagnostics)).toEqual([]);
    expect(tables.ok).toBe(true);
  });

  test("documentation warnings: one line per table, each with --verbose", () => {
    const report = validateManifests([coreDatabase, messy()]);
    const count = (text: string) => text.split("\n").filter((l) => l.includes("[documentation]")).length;
    expect(count(formatValidationReport(report))).toBe(1);
    expect(count(formatValidationReport(report, { verbose: true }))).toBe(5); // the table and its 4 columns
  });
});

describe("dependency-graph diagnostics", () => {
  const at = (name: string, deps: Record<string, string>, version = "1.0.0") => pkg(name, { t: goodTable(`ydtb_${name.slice(6)}_t`) }, { version, dependencies: { "@ydtb/core": "*", ...deps } });

  test("a cycle with its path, a missing dependency and an unsatisfied range, all at once, each at its package", () => {
    const manifests = [coreDatabase, at("@ydtb/a", { "@ydtb/b": "*" }), at("@ydtb/b", { "@ydtb/a": "*" }), at("@ydtb/c", { "@ydtb/gone": "^1.0.0" }), at("@ydtb/d", { "@ydtb/a": "^2.0.0" })];
    const found = graphDiagnostics(manifests);
    expect(found.map((d) => [d.package, d.rule, d.severity]).sort()).toEqual([
      ["@ydtb/a", "dependency-graph", "error"],
      ["@ydtb/c", "dependency-graph", "error"],
      ["@ydtb/d", "dependency-graph", "error"],
    ]);
    expect(found.find((d) => d.package === "@ydtb/a")?.message).toContain("@ydtb/a → @ydtb/b → @ydtb/a");
    // validateManifests puts them in the package's report and counts them.
    const report = validateManifests(manifests, { rules: ["dependency-graph"] });
    expect(report.packages.map((p) => [p.package, p.errorCount])).toEqual([["@ydtb/core", 0], ["@ydtb/a", 1], ["@ydtb/b", 0], ["@ydtb/c", 1], ["@ydtb/d", 1]]);
    expect(validateManifests(manifests, { graph: false, rules: ["dependency-graph"] }).errorCount).toBe(0);
  });

  test("a clean graph reports nothing; a dependent of a missing package is told it is missing, once", () => {
    expect(graphDiagnostics([coreDatabase, at("@ydtb/a", {}), at("@ydtb/b", { "@ydtb/a": "^1.0.0" })])).toEqual([]);
    const found = graphDiagnostics([coreDatabase, at("@ydtb/c", { "@ydtb/gone": "^1.0.0" }), at("@ydtb/e", { "@ydtb/gone": "^2.0.0" })]);
    expect(found.map((d) => d.package).sort()).toEqual(["@ydtb/c", "@ydtb/e"]);
  });
});

describe("operator-class knows which types each class fits", () => {
  const columns: [string, () => PgColumnBuilderBase][] = [
    ["uuid", () => uuid("v")],
    ["text", () => text("v")],
    ["varchar(40)", () => varchar("v", { length: 40 })],
    ["integer", () => integer("v")],
    ["bigint", () => bigint("v", { mode: "number" })],
    ["smallint", () => smallint("v")],
    ["numeric", () => numeric("v")],
    ["real", () => real("v")],
    ["double precision", () => doublePrecision("v")],
    ["boolean", () => boolean("v")],
    ["date", () => date("v")],
    ["timestamp", () => timestamp("v")],
    ["timestamp with time zone", () => timestamp("v", { withTimezone: true })],
    ["jsonb", () => jsonb("v")],
  ];
  // Written out here, not read from OPERATOR_CLASS_TYPES: the types PostgreSQL accepts for each class.
  const textual = ["text", "varchar(40)"];
  const accepts: Record<string, readonly string[]> = {
    uuid_ops: ["uuid"], text_ops: textual, varchar_ops: textual, text_pattern_ops: textual, varchar_pattern_ops: textual,
    gin_trgm_ops: textual, gist_trgm_ops: textual, int4_ops: ["integer"], int8_ops: ["bigint"], int2_ops: ["smallint"],
    numeric_ops: ["numeric"], float4_ops: ["real"], float8_ops: ["double precision"], bool_ops: ["boolean"], date_ops: ["date"],
    timestamp_ops: ["timestamp"], timestamptz_ops: ["timestamp with time zone"], jsonb_ops: ["jsonb"], jsonb_path_ops: ["jsonb"],
  };
  for (const [opClass, fitting] of Object.entries(accepts)) {
    test(opClass, () => {
      expect(OPERATOR_CLASS_TYPES[opClass]).toBeDefined();
      const wrong: string[] = [];
      for (const [type, column] of columns) {
        const table = pgTable("ydtb_oc_t", { ...scoped(), v: column() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ydtb_oc_t_v_idx").on(t.workspaceId, t.v.op(opClass))]);
        const hit = validateManifest(pkg("@ydtb/oc", { table }), [coreDatabase]).diagnostics.some((d) => d.rule === "operator-class");
        if (hit === fitting.includes(type)) wrong.push(type);
      }
      expect(wrong).toEqual([]);
    });
  }
});
