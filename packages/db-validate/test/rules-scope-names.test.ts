import { describe, expect, test } from "bun:test";
// The rules from unique-includes-workspace on (the earlier rules are in rules.test.ts).
import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import { formatValidationReport, validateManifest, validateManifests } from "../src/index.ts";
import { coreDatabase, hits, pkg, scoped } from "./builders.ts";

const withCore = (manifest: Parameters<typeof validateManifest>[0], ...others: Parameters<typeof validateManifest>[0][]) =>
  validateManifest(manifest, [coreDatabase, ...others]);

/** A good workspace table of `name`: workspace_id (FK, cascade), id, title; PK (workspace_id, id). */
const goodTable = (name: string) =>
  pgTable(name, { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);


describe("unique-includes-workspace", () => {
  test("column-level unique, unique constraint and unique index without workspace_id are errors", () => {
    const items = pgTable(
      "ydtb_notes_items",
      { ...scoped(), slug: text("slug").notNull().unique(), code: text("code").notNull(), email: text("email").notNull() },
      (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique("ydtb_notes_items_code_unique").on(t.code), uniqueIndex("ydtb_notes_items_email_idx").on(t.email)],
    );
    const outcome = withCore(pkg("@ydtb/notes", { items }));
    const at = (column: string) => ({ rule: "unique-includes-workspace", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_items", column });
    expect(hits(outcome, "unique-includes-workspace")).toEqual([at("code"), at("slug"), at("email")]);
    expect(outcome.diagnostics.find((d) => d.column === "code")?.suggestion).toContain('\nunique("ydtb_notes_items_code_unique").on(t.workspaceId, t.code),');
  });
  test("the twins per workspace pass, and a single-column primary key is not flagged", () => {
    const items = pgTable("ydtb_notes_items", { workspaceId: scoped().workspaceId, id: text("id").primaryKey(), code: text("code").notNull(), email: text("email").notNull() }, (t) => [
      unique("ydtb_notes_items_code_unique").on(t.workspaceId, t.code),
      uniqueIndex("ydtb_notes_items_email_idx").on(t.workspaceId, t.email),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { items })), "unique-includes-workspace")).toEqual([]);
  });
});

describe("valid-schema", () => {
  const notes = goodTable("ydtb_notes_items");
  const comments = pgTable("ydtb_comments_items", { ...scoped(), noteId: text("note_id").notNull() }, (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }),
  ]);
  test("exports that are no Drizzle object are ignored, listed once in the report", () => {
    const manifest = pkg("@ydtb/notes", { notes, helper: () => 1, VERSION: "1", STATUSES: ["a", "b"] as const });
    expect(withCore(manifest).diagnostics).toEqual([]);
    const report = validateManifests([coreDatabase, manifest]);
    expect(report.packages[1]?.ignoredExports).toEqual(["helper", "VERSION", "STATUSES"]);
    expect(formatValidationReport(report).split("\n").filter((l) => l.includes("info:"))).toHaveLength(1);
  });
  test("a reference to an undeclared package is an error naming the dependency", () => {
    const notesPkg = defineNotes("1.2.0");
    const outcome = withCore(pkg("@ydtb/comments", { comments }), notesPkg);
    expect(hits(outcome, "valid-schema")).toEqual([{ rule: "valid-schema", severity: "error", package: "@ydtb/comments", table: "ydtb_comments_items", column: "note_id" }]);
    expect(outcome.diagnostics.find((d) => d.rule === "valid-schema")?.fixes).toEqual([{ edits: [{ kind: "manifest-entry", path: ["dependencies", "@ydtb/notes"], value: '"^1.2.0"' }] }]);
    const declared = pkg("@ydtb/comments", { comments }, { dependencies: { "@ydtb/core": "^1.0.0", "@ydtb/notes": "^1.2.0" } });
    expect(hits(withCore(declared, notesPkg), "valid-schema")).toEqual([]);
  });
  test("a reference to a table no registered package owns is an error", () => {
    const outcome = withCore(pkg("@ydtb/comments", { comments }, { dependencies: { "@ydtb/notes": "^1.0.0" } }));
    expect(hits(outcome, "valid-schema")).toEqual([{ rule: "valid-schema", severity: "error", package: "@ydtb/comments", table: "ydtb_comments_items", column: "note_id" }]);
  });
  test("@ydtb/core is always allowed, declared or not", () => {
    const items = goodTable("ydtb_notes_items");
    expect(hits(withCore(pkg("@ydtb/notes", { items }, { dependencies: {} })), "valid-schema")).toEqual([]);
  });
  function defineNotes(version: string) {
    return pkg("@ydtb/notes", { notes }, { version });
  }
});

describe("table-ownership", () => {
  test("a table name claimed by two packages is an error in each", () => {
    const a = pkg("@ydtb/a", { items: goodTable("ydtb_shared_items") });
    const b = pkg("@ydtb/b", { items: goodTable("ydtb_shared_items") });
    expect(hits(validateManifest(b, [coreDatabase, a]), "table-ownership")).toEqual([
      { rule: "table-ownership", severity: "error", package: "@ydtb/b", table: "ydtb_shared_items" },
    ]);
    const report = validateManifests([coreDatabase, a, b]);
    expect(report.packages.map((p) => p.diagnostics.filter((d) => d.rule === "table-ownership").map((d) => [d.package, d.table]))).toEqual([
      [],
      [["@ydtb/a", "ydtb_shared_items"]],
      [["@ydtb/b", "ydtb_shared_items"]],
    ]);
  });
  test("two definitions of one table name in one package are an error", () => {
    const outcome = withCore(pkg("@ydtb/a", { one: goodTable("ydtb_a_items"), two: goodTable("ydtb_a_items") }));
    expect(hits(outcome, "table-ownership")).toEqual([{ rule: "table-ownership", severity: "error", package: "@ydtb/a", table: "ydtb_a_items" }]);
  });
  test("the twin with its own names passes; one table exported twice is one table", () => {
    const items = goodTable("ydtb_b_items");
    const a = pkg("@ydtb/a", { items: goodTable("ydtb_a_items") });
    expect(hits(validateManifest(pkg("@ydtb/b", { items, alias: items }), [coreDatabase, a]), "table-ownership")).toEqual([]);
  });
});

describe("workspace-index", () => {
  test("a workspace table with no index leading with workspace_id is a warning", () => {
    const items = pgTable("ydtb_notes_items", { workspaceId: scoped().workspaceId, id: text("id").primaryKey(), title: text("title") }, (t) => [index("ydtb_notes_items_title_idx").on(t.title, t.workspaceId)]);
    expect(hits(withCore(pkg("@ydtb/notes", { items })), "workspace-index")).toEqual([
      { rule: "workspace-index", severity: "warning", package: "@ydtb/notes", table: "ydtb_notes_items", column: "workspace_id" },
    ]);
  });
  test("an index, a unique constraint or a primary key leading with workspace_id passes", () => {
    const byIndex = pgTable("ydtb_notes_a", { workspaceId: scoped().workspaceId, id: text("id").primaryKey() }, (t) => [index("ydtb_notes_a_ws_idx").on(t.workspaceId, t.id)]);
    const byUnique = pgTable("ydtb_notes_b", { workspaceId: scoped().workspaceId, id: text("id").primaryKey() }, (t) => [unique().on(t.workspaceId, t.id)]);
    const byKey = goodTable("ydtb_notes_c");
    expect(hits(withCore(pkg("@ydtb/notes", { byIndex, byUnique, byKey })), "workspace-index")).toEqual([]);
  });
});

describe("naming", () => {
  test("a table outside ydtb_<package>_, a camelCase column and a camelCase index are warnings", () => {
    const deals = pgTable("ydtb_deals", { ...scoped(), closedAt: timestamp({ withTimezone: true }) }, (t) => [
      primaryKey({ name: "ydtb_deals_pk", columns: [t.workspaceId, t.id] }),
      index("dealsClosedIdx").on(t.workspaceId, t.closedAt),
      unique("DealsIdKey").on(t.workspaceId, t.id),
    ]);
    const outcome = withCore(pkg("@ydtb/crm-deals", { deals }));
    const at = { rule: "naming", severity: "warning", package: "@ydtb/crm-deals", table: "ydtb_deals" };
    // The derived names (ydtb_deals_workspace_id_ydtb_workspaces_id_fk, …) are not reported.
    expect(hits(outcome, "naming")).toEqual([at, { ...at, column: "closedAt" }, at, at]);
    expect(outcome.diagnostics.filter((d) => d.rule === "naming").map((d) => d.suggestion).slice(2)).toEqual([
      'index("dealsClosedIdx", …) → index("ydtb_crm_deals_deals_closed_idx", …)',
      'unique("DealsIdKey", …) → unique("ydtb_crm_deals_deals_id_key", …)',
    ]);
    expect(outcome.diagnostics.find((d) => d.rule === "naming" && !d.column)?.suggestion).toBe('pgTable("ydtb_deals", …) → pgTable("ydtb_crm_deals_deals", …)');
  });
  test("the twin ydtb_crm_deals_items in snake_case passes", () => {
    const deals = pgTable("ydtb_crm_deals_items", { ...scoped(), closedAt: timestamp("closed_at", { withTimezone: true }) }, (t) => [
      primaryKey({ name: "ydtb_crm_deals_items_pk", columns: [t.workspaceId, t.id] }),
      index("ydtb_crm_deals_items_closed_idx").on(t.workspaceId, t.closedAt),
      check("ydtb_crm_deals_items_id_check", sql`${t.id} <> ''`),
    ]);
    expect(hits(withCore(pkg("@ydtb/crm-deals", { deals })), "naming")).toEqual([]);
  });
});

describe("column-types", () => {
  test("timestamp without time zone, serial/bigserial/identity keys and varchar free text are warnings at the column", () => {
    const items = pgTable("ydtb_notes_items", {
      workspaceId: scoped().workspaceId,
      id: serial("id").primaryKey(),
      title: varchar("title", { length: 200 }).notNull(),
      createdAt: timestamp("created_at").notNull(),
    }, (t) => [index("ydtb_notes_items_ws_idx").on(t.workspaceId)]);
    const big = pgTable("ydtb_notes_big", { workspaceId: scoped().workspaceId, id: bigserial("id", { mode: "number" }) }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const ident = pgTable("ydtb_notes_ident", { workspaceId: scoped().workspaceId, id: integer("id").primaryKey().generatedAlwaysAsIdentity() }, (t) => [index("ydtb_notes_ident_ws_idx").on(t.workspaceId)]);
    const outcome = withCore(pkg("@ydtb/notes", { items, big, ident }));
    const at = (table: string, column: string) => ({ rule: "column-types", severity: "warning", package: "@ydtb/notes", table, column });
    expect(hits(outcome, "column-types")).toEqual([
      at("ydtb_notes_items", "id"),
      at("ydtb_notes_items", "title"),
      at("ydtb_notes_items", "created_at"),
      at("ydtb_notes_big", "id"),
      at("ydtb_notes_ident", "id"),
    ]);
    const suggestion = (column: string) => outcome.diagnostics.find((d) => d.rule === "column-types" && d.table === "ydtb_notes_items" && d.column === column)?.suggestion;
    expect(suggestion("created_at")).toContain('items.createdAt: build it as timestamp("created_at", { withTimezone: true }), the rest of its chain kept');
    expect(suggestion("title")).toContain('items.title: build it as text("title"), the rest of its chain kept');
  });
  test("the twin (timestamptz, random text id, text; varchar only for ids) passes", () => {
    const items = pgTable("ydtb_notes_items", {
      workspaceId: scoped().workspaceId,
      id: varchar("id", { length: 24 }).notNull(),
      toolId: varchar("tool_id", { length: 20 }),
      title: text("title").notNull(),
      createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    expect(hits(withCore(pkg("@ydtb/notes", { items })), "column-types")).toEqual([]);
  });
});

describe("documentation", () => {
  test("a table and columns without descriptions are warnings", () => {
    const items = goodTable("ydtb_notes_items");
    const outcome = withCore(pkg("@ydtb/notes", { items }, { descriptions: { ydtb_notes_items: { description: "Items.", columns: { id: "Id." } } } }));
    const at = { rule: "documentation", severity: "warning", package: "@ydtb/notes", table: "ydtb_notes_items" };
    expect(hits(outcome, "documentation")).toEqual([
      { ...at, column: "workspace_id" },
      { ...at, column: "title" },
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { items }, { descriptions: {} })), "documentation")).toEqual([
      at,
      { ...at, column: "workspace_id" },
      { ...at, column: "id" },
      { ...at, column: "title" },
    ]);
  });
  test("the fully described twin passes", () => {
    expect(hits(withCore(pkg("@ydtb/notes", { items: goodTable("ydtb_notes_items") })), "documentation")).toEqual([]);
  });
});
