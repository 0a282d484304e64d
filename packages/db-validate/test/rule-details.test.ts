import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EMPTY_POLICY_STATE, policyMigrationSql } from "@ydtb/db-access";
import { sql } from "drizzle-orm";
import { foreignKey, pgEnum, pgRole, pgSchema, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { formatValidationReport, validateManifest, validateManifests, type Diagnostic } from "../src/index.ts";
import { coreDatabase, hits, pkg, scoped } from "./builders.ts";

const withCore = (m: ReturnType<typeof pkg>, ...others: ReturnType<typeof pkg>[]) => validateManifest(m, [coreDatabase, ...others]);
const keyed = (name: string) => pgTable(name, { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

describe("table keys", () => {
  test("a unique index on (workspace_id, id) is a key a composite foreign key may target; a partial or expression one is not", () => {
    const target = (extra: "plain" | "partial" | "expression") =>
      pgTable("ydtb_keys_target", { ...scoped(), slug: text("slug").notNull() }, (t) => [
        primaryKey({ columns: [t.workspaceId, t.slug] }),
        extra === "plain"
          ? uniqueIndex("ydtb_keys_target_ws_id_idx").on(t.workspaceId, t.id)
          : extra === "partial"
            ? uniqueIndex("ydtb_keys_target_ws_id_idx").on(t.workspaceId, t.id).where(sql`${t.slug} <> ''`)
            : uniqueIndex("ydtb_keys_target_ws_id_idx").on(t.workspaceId, sql`lower(${t.id})`),
      ]);
    const refsOnto = (onto: ReturnType<typeof target>) =>
      pgTable("ydtb_keys_refs", { ...scoped(), targetId: text("target_id").notNull() }, (t) => [
        primaryKey({ columns: [t.workspaceId, t.id] }),
        foreignKey({ columns: [t.workspaceId, t.targetId], foreignColumns: [onto.workspaceId, onto.id] }),
      ]);
    const result = (extra: "plain" | "partial" | "expression") => {
      const onto = target(extra);
      return hits(withCore(pkg("@ydtb/keys", { onto, refs: refsOnto(onto) })), "cross-workspace-reference").map((d) => d.table);
    };
    expect([result("plain"), result("partial"), result("expression")]).toEqual([[], ["ydtb_keys_refs"], ["ydtb_keys_refs"]]);
  });

  test("a table exported under two names is validated once", () => {
    const loose = pgTable("ydtb_twice_loose", { ...scoped(), code: text("code").notNull().unique() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const once = withCore(pkg("@ydtb/twice", { loose }));
    const twice = withCore(pkg("@ydtb/twice", { loose, alias: loose }));
    expect(twice.diagnostics.map((d) => [d.rule, d.table, d.column])).toEqual(once.diagnostics.map((d) => [d.rule, d.table, d.column]));
    expect(hits(twice, "unique-includes-workspace")).toHaveLength(1);
  });
});

describe("column-types suggestions", () => {
  test("a timestamp without time zone: the builder is rebuilt with the time zone and its own options, the chain (.notNull()) kept as it is", () => {
    const events = pgTable(
      "ydtb_ct_events",
      { ...scoped(), at: timestamp("at"), due: timestamp("due", { precision: 3 }).notNull() },
      (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
    );
    const byColumn = Object.fromEntries(withCore(pkg("@ydtb/ct", { events })).diagnostics.filter((d) => d.rule === "column-types").map((d) => [d.column, d.suggestion]));
    expect(byColumn).toEqual({
      at: `// events.at: build it as timestamp("at", { withTimezone: true }), the rest of its chain kept\nimport { timestamp } from "drizzle-orm/pg-core";`,
      due: `// events.due: build it as timestamp("due", { withTimezone: true, precision: 3 }), the rest of its chain kept\nimport { timestamp } from "drizzle-orm/pg-core";`,
    });
  });

  test("a serial key: the referencing columns listed are those that reference it, not another column of the table", () => {
    const counters = pgTable("ydtb_ct_counters", { ...scoped(), id: serial("id").primaryKey(), code: text("code").notNull() }, (t) => [uniqueIndex("ydtb_ct_counters_code_idx").on(t.workspaceId, t.code)]);
    const byId = pgTable("ydtb_ct_by_id", { ...scoped(), counterId: serial("counter_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.counterId], foreignColumns: [counters.workspaceId, counters.id] }),
    ]);
    const byCode = pgTable("ydtb_ct_by_code", { ...scoped(), counterCode: text("counter_code").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.counterCode], foreignColumns: [counters.workspaceId, counters.code] }),
    ]);
    const serialKey = withCore(pkg("@ydtb/ct", { counters, byId, byCode })).diagnostics.find((d) => d.rule === "column-types" && d.table === "ydtb_ct_counters" && d.column === "id");
    expect(serialKey?.suggestion).toContain("counter_id");
    expect(serialKey?.suggestion).not.toContain("counter_code");
  });
});

describe("core-table-duplicate", () => {
  test("an unprefixed copy of a core table is reported too, as well as a prefixed one", () => {
    const users = pgTable("users", { ...scoped(), email: text("email").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const prefixed = pgTable("ydtb_dup_users", { ...scoped(), email: text("email").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const tables = (m: ReturnType<typeof pkg>) => hits(withCore(m), "core-table-duplicate").map((d) => d.table);
    expect([tables(pkg("@ydtb/dup", { users })), tables(pkg("@ydtb/dup", { prefixed }))]).toEqual([["users"], ["ydtb_dup_users"]]);
    // A table that only contains a core name is its own.
    expect(tables(pkg("@ydtb/dup", { own: keyed("ydtb_dup_power_users") }))).toEqual([]);
  });
});

describe("shared-names messages say where the name lives", () => {
  const message = (m: ReturnType<typeof pkg>, kind: string) => withCore(m).diagnostics.find((d) => d.rule === "shared-names" && d.message.includes(kind))?.message ?? "";
  test("role: the cluster; schema: the database; enum: its schema", () => {
    const m = pkg("@ydtb/sn", { items: keyed("ydtb_sn_items"), reader: pgRole("reader"), space: pgSchema("crm"), mood: pgEnum("mood", ["a"]) });
    expect(message(m, `role "reader"`)).toContain("cluster-wide");
    expect(message(m, `schema "crm"`)).toContain("(in the database)");
    expect(message(m, `enum "mood"`)).toContain(`(in schema "public")`);
  });

  test("two packages with one enum name: each names the other package; an index named like another table's key: both reported, each naming the other table", () => {
    const a = pkg("@ydtb/sna", { items: keyed("ydtb_sna_items"), mood: pgEnum("ydtb_shared_mood", ["a"]) });
    const b = pkg("@ydtb/snb", { items: keyed("ydtb_snb_items"), mood: pgEnum("ydtb_shared_mood", ["b"]) });
    const clash = (m: ReturnType<typeof pkg>, other: ReturnType<typeof pkg>) => withCore(m, other).diagnostics.filter((d) => d.rule === "shared-names" && d.message.includes("has the name of"));
    expect(clash(a, b).map((d) => d.message.includes(`of "@ydtb/snb"`))).toEqual([true]);
    expect(clash(a, b)[0]?.message).toEndWith(`Rename one of them, or use "@ydtb/snb"'s through a dependency.`);
    expect(clash(a, b)[0]?.message).not.toContain("of table");
    const one = pgTable("ydtb_sni_one", { workspaceId: scoped().workspaceId, id: text("id").primaryKey() });
    const two = pgTable("ydtb_sni_two", { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("ydtb_sni_one_pkey").on(t.workspaceId, t.title)]);
    const named = clash(pkg("@ydtb/sni", { one, two }), pkg("@ydtb/other", { x: keyed("ydtb_other_x") })).filter((d) => d.message.includes(`"ydtb_sni_one_pkey"`));
    expect(named.map((d) => d.message.endsWith("Rename one of them."))).toEqual([true, true]);
    // Each side is reported, naming the other's table.
    expect(named.map((d) => [d.table, d.message.includes(`of table "${d.table === "ydtb_sni_one" ? "ydtb_sni_two" : "ydtb_sni_one"}" of this package`)])).toEqual([
      ["ydtb_sni_one", true],
      ["ydtb_sni_two", true],
    ]);
  });
});

describe("unused-exemption", () => {
  test("the location of an exemption without a column is the table alone", () => {
    const outcome = withCore(pkg("@ydtb/ue", { items: keyed("ydtb_ue_items") }, { exemptions: [{ rule: "naming", table: "ydtb_ue_items", reason: "legacy" }] }));
    const [d] = outcome.diagnostics.filter((x) => x.rule === "unused-exemption");
    expect(d?.message).toContain(`reports nothing at "ydtb_ue_items";`);
    expect(d && "column" in d).toBe(false);
  });
});

describe("workspace-rls", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  test("a table made global while the latest policy migration still covers it: reported as a leftover policy, not a missing one", () => {
    const dir = mkdtempSync(join(tmpdir(), "ydtb-rls-detail-"));
    dirs.push(dir);
    mkdirSync(join(dir, "meta"));
    writeFileSync(join(dir, "0000_workspace_rls.sql"), policyMigrationSql(EMPTY_POLICY_STATE, { workspaceTables: ["ydtb_rlsd_items", "ydtb_rlsd_tags"], globalTables: [] }).up);
    writeFileSync(join(dir, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries: [{ idx: 0, version: "7", when: 1, tag: "0000_workspace_rls", breakpoints: true }] }));
    const items = keyed("ydtb_rlsd_items");
    const tags = keyed("ydtb_rlsd_tags");
    const outcome = withCore(pkg("@ydtb/rlsd", { items, tags }, { migrations: dir, globalTables: { ydtb_rlsd_tags: "shared lookup" } }));
    const rls = outcome.diagnostics.filter((d) => d.rule === "workspace-rls");
    expect(rls.map((d) => [d.table, d.message.includes("is now global"), d.message.includes("no row-level-security migration")])).toEqual([["ydtb_rlsd_tags", true, false]]);
  });
});

describe("formatValidationReport", () => {
  test("a multi-line message and suggestion are indented under their diagnostic, line by line", () => {
    const diagnostic: Diagnostic = { rule: "naming", severity: "error", package: "@ydtb/fmt", table: "ydtb_fmt_t", message: "first line\nsecond line", suggestion: "fix one\nfix two" };
    const report = validateManifests([coreDatabase, pkg("@ydtb/fmt", { t: keyed("ydtb_fmt_t") })], { packages: ["@ydtb/fmt"] });
    const text = formatValidationReport({ ...report, packages: report.packages.map((p) => ({ ...p, diagnostics: [diagnostic] })) });
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.includes("[naming]"));
    expect(lines.slice(at, at + 5)).toEqual(["  error [naming] ydtb_fmt_t", "    first line", "    second line", "      fix one", "      fix two"]);
  });
});

describe("names PostgreSQL derives", () => {
  const clashes = (schema: Record<string, unknown>) =>
    withCore(pkg("@ydtb/nx", schema)).diagnostics.filter((d) => d.rule === "shared-names" && d.message.includes("has the name of")).map((d) => d.table);
  test("a table named like another table's derived primary key clashes (42P07); a composite key's derived name is not <table>_pkey", () => {
    const a = pgTable("ydtb_nx_a", { workspaceId: scoped().workspaceId, id: text("id").primaryKey() });
    const aPkey = keyed("ydtb_nx_a_pkey");
    expect(clashes({ a, aPkey }).sort()).toEqual(["ydtb_nx_a", "ydtb_nx_a_pkey"]);
    const b = keyed("ydtb_nx_b");
    const c = pgTable("ydtb_nx_c", { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("ydtb_nx_b_pkey").on(t.workspaceId, t.title)]);
    expect(clashes({ b, c })).toEqual([]);
  });
});

describe("valid-schema", () => {
  test("a foreign key on workspace_id alone onto an unregistered table names that column", () => {
    const ghost = pgTable("ydtb_ghost_rows", { workspaceId: scoped().workspaceId });
    const refs = pgTable("ydtb_vs_refs", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), foreignKey({ columns: [t.workspaceId], foreignColumns: [ghost.workspaceId] })]);
    expect(hits(withCore(pkg("@ydtb/vs", { refs })), "valid-schema")).toEqual([
      { rule: "valid-schema", severity: "error", package: "@ydtb/vs", table: "ydtb_vs_refs", column: "workspace_id" },
    ]);
  });
});

describe("cross-workspace-reference messages", () => {
  test("the fix asks for a unique constraint on the target only when it lacks one on (workspace_id, id)", () => {
    const keyedTarget = keyed("ydtb_cwr_keyed");
    const loose = pgTable("ydtb_cwr_loose", { workspaceId: scoped().workspaceId, id: text("id").primaryKey() });
    const refs = (name: string, onto: typeof keyedTarget | typeof loose) =>
      pgTable(name, { ...scoped(), ontoId: text("onto_id").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), foreignKey({ columns: [t.ontoId], foreignColumns: [onto.id] })]);
    const message = (table: string) => withCore(pkg("@ydtb/cwr", { keyedTarget, loose, a: refs("ydtb_cwr_a", keyedTarget), b: refs("ydtb_cwr_b", loose) })).diagnostics.find((d) => d.rule === "cross-workspace-reference" && d.table === table)?.message ?? "";
    expect(message("ydtb_cwr_a")).toEndWith(`make it composite, (workspace_id, onto_id) → (workspace_id, id).`);
    const suggestion = withCore(pkg("@ydtb/cwr", { loose, b: refs("ydtb_cwr_b", loose) })).diagnostics.find((d) => d.rule === "cross-workspace-reference")?.suggestion;
    // First the composite key to write, then the unique constraint its target needs.
    expect(suggestion?.split("\n")).toEqual([
      "// in the extra config of b, (t) => [ … ]:",
      "foreignKey({ columns: [t.workspaceId, t.ontoId], foreignColumns: [loose.workspaceId, loose.id] }),",
      "// in the extra config of loose, (t) => [ … ]:",
      "unique().on(t.workspaceId, t.id),",
      `import { foreignKey, unique } from "drizzle-orm/pg-core";`,
    ]);
    expect(message("ydtb_cwr_b")).toEndWith(`make it composite, (workspace_id, onto_id) → (workspace_id, id), and give "ydtb_cwr_loose" a unique constraint on (workspace_id, id).`);
  });
});

describe("cross-workspace-reference: a key on workspace_id alone", () => {
  const settingsTable = () =>
    pgTable("ydtb_cws_settings", { workspaceId: text("workspace_id").primaryKey(), theme: text("theme").notNull() });
  test("workspace_id → a table keyed on workspace_id alone cannot cross workspaces: no error", () => {
    const settings = settingsTable();
    const prefs = pgTable("ydtb_cws_prefs", { ...scoped(), key: text("key").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId], foreignColumns: [settings.workspaceId] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/cws", { settings, prefs })), "cross-workspace-reference")).toEqual([]);
  });
  test("another column → that table's workspace_id still errors: it is not this row's workspace", () => {
    const settings = settingsTable();
    const prefs = pgTable("ydtb_cws_prefs", { ...scoped(), otherWorkspace: text("other_workspace").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.otherWorkspace], foreignColumns: [settings.workspaceId] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/cws", { settings, prefs })), "cross-workspace-reference").map((d) => d.table)).toEqual(["ydtb_cws_prefs"]);
  });
});
