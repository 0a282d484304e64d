import { describe, expect, test } from "bun:test";
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
import { CORE_PACKAGE } from "@ydtb/db-registry";
import { formatValidationReport, validateManifest, validateManifests } from "../src/index.ts";
import { coreDatabase, hits, pkg, scoped, workspaces } from "./builders.ts";
import { users, workspaceMembers } from "../../db-core/src/schema/index.ts";

const withCore = (manifest: Parameters<typeof validateManifest>[0], ...others: Parameters<typeof validateManifest>[0][]) =>
  validateManifest(manifest, [coreDatabase, ...others]);

/** A good workspace table of `name`: workspace_id (FK, cascade), id, title; PK (workspace_id, id). */
const goodTable = (name: string) =>
  pgTable(name, { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

describe("a good package", () => {
  test("reports nothing", () => {
    const outcome = withCore(pkg("@ydtb/notes", { items: goodTable("ydtb_notes_items") }));
    expect(outcome.diagnostics).toEqual([]);
  });
});

describe("table-prefix", () => {
  test("a table not named ydtb_… is an error at the table", () => {
    const outcome = withCore(pkg("@ydtb/notes", { items: goodTable("notes_items") }));
    expect(hits(outcome, "table-prefix")).toEqual([{ rule: "table-prefix", severity: "error", package: "@ydtb/notes", table: "notes_items" }]);
    expect(outcome.diagnostics.find((d) => d.rule === "table-prefix")?.suggestion).toContain('pgTable("ydtb_notes_notes_items"');
  });
  test("its twin named ydtb_notes_items passes", () => {
    expect(hits(withCore(pkg("@ydtb/notes", { items: goodTable("ydtb_notes_items") })), "table-prefix")).toEqual([]);
  });
});

describe("workspace-column", () => {
  test("a table without workspace_id is an error at the table", () => {
    const items = pgTable("ydtb_notes_items", { id: text("id").primaryKey(), title: text("title").notNull() });
    const outcome = withCore(pkg("@ydtb/notes", { items }));
    expect(hits(outcome, "workspace-column")).toEqual([{ rule: "workspace-column", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_items" }]);
    expect(outcome.diagnostics.find((d) => d.rule === "workspace-column")?.suggestion).toContain('varchar("workspace_id", { length: 20 }).notNull()');
  });
  test("a camelCase SQL name does not count as workspace_id", () => {
    const items = pgTable("ydtb_notes_items", { workspaceId: varchar({ length: 20 }).notNull(), id: text("id").primaryKey() });
    expect(hits(withCore(pkg("@ydtb/notes", { items })), "workspace-column")).toEqual([
      { rule: "workspace-column", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_items" },
    ]);
  });
  test("a nullable workspace_id is an error at the column", () => {
    const items = pgTable("ydtb_notes_items", {
      workspaceId: varchar("workspace_id", { length: 20 }).references(() => workspaces.id, { onDelete: "cascade" }),
      id: text("id").primaryKey(),
    });
    expect(hits(withCore(pkg("@ydtb/notes", { items })), "workspace-column")).toEqual([
      { rule: "workspace-column", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_items", column: "workspace_id" },
    ]);
  });
  test("a workspace_id of another type than varchar(20) is an error at the column", () => {
    const items = pgTable("ydtb_notes_items", { workspaceId: text("workspace_id").notNull(), id: text("id").primaryKey() });
    const wide = pgTable("ydtb_notes_wide", { workspaceId: varchar("workspace_id", { length: 36 }).notNull(), id: text("id").primaryKey() });
    expect(hits(withCore(pkg("@ydtb/notes", { items, wide })), "workspace-column")).toEqual([
      { rule: "workspace-column", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_items", column: "workspace_id" },
      { rule: "workspace-column", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_wide", column: "workspace_id" },
    ]);
  });
  test("the corrected twin (varchar(20) NOT NULL) passes", () => {
    expect(hits(withCore(pkg("@ydtb/notes", { items: goodTable("ydtb_notes_items") })), "workspace-column")).toEqual([]);
  });
  test("a package table named like a core global table still needs workspace_id", () => {
    const impostor = pgTable("ydtb_users", { id: text("id").primaryKey() });
    expect(hits(validateManifest(pkg("@ydtb/notes", { impostor })), "workspace-column")).toEqual([
      { rule: "workspace-column", severity: "error", package: "@ydtb/notes", table: "ydtb_users" },
    ]);
  });
  test("in @ydtb/core, ydtb_workspaces.id must be the varchar(20) primary key", () => {
    const badWorkspaces = pgTable("ydtb_workspaces", { id: text("id").primaryKey(), name: text("name").notNull() });
    const root = { globalTables: { ydtb_workspaces: "the root of isolation" } };
    const core = pkg(CORE_PACKAGE, { workspaces: badWorkspaces }, { dependencies: {}, ...root });
    expect(hits(validateManifest(core), "workspace-column")).toEqual([
      { rule: "workspace-column", severity: "error", package: CORE_PACKAGE, table: "ydtb_workspaces", column: "id" },
    ]);
    const goodWorkspaces = pgTable("ydtb_workspaces", { id: varchar("id", { length: 20 }).primaryKey(), name: text("name").notNull() });
    expect(hits(validateManifest(pkg(CORE_PACKAGE, { workspaces: goodWorkspaces }, { dependencies: {}, ...root })), "workspace-column")).toEqual([]);
  });
  test("in @ydtb/core, a missing ydtb_workspaces is an error", () => {
    const core = pkg(CORE_PACKAGE, { users: pgTable("ydtb_users", { id: text("id").primaryKey() }) }, { dependencies: {}, globalTables: { ydtb_users: "auth" } });
    expect(hits(validateManifest(core), "workspace-column")).toEqual([
      { rule: "workspace-column", severity: "error", package: CORE_PACKAGE, table: "ydtb_workspaces" },
    ]);
  });
});

describe("workspace-foreign-key", () => {
  test("workspace_id without a foreign key is an error at the column", () => {
    const items = pgTable("ydtb_notes_items", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
    ]);
    const outcome = withCore(pkg("@ydtb/notes", { items }));
    expect(hits(outcome, "workspace-foreign-key")).toEqual([
      { rule: "workspace-foreign-key", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_items", column: "workspace_id" },
    ]);
    const suggestion = outcome.diagnostics.find((d) => d.rule === "workspace-foreign-key")?.suggestion;
    expect(suggestion).toContain('.references(() => workspaces.id, { onDelete: "cascade" })');
  });
  test("a foreign key without ON DELETE CASCADE is an error at the column", () => {
    const items = pgTable("ydtb_notes_items", { workspaceId: varchar("workspace_id", { length: 20 }).notNull().references(() => workspaces.id), id: text("id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { items })), "workspace-foreign-key")).toEqual([
      { rule: "workspace-foreign-key", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_items", column: "workspace_id" },
    ]);
  });
  test("the twin with foreignKey(...).onDelete(\"cascade\") in the extra config passes", () => {
    const items = pgTable("ydtb_notes_items", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete("cascade"),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { items })), "workspace-foreign-key")).toEqual([]);
  });
});

describe("cross-workspace-reference", () => {
  const notes = goodTable("ydtb_notes_items");
  test("a single-column foreign key between workspace tables is an error at the referencing column", () => {
    const comments = pgTable("ydtb_notes_comments", { ...scoped(), noteId: text("note_id").notNull().references(() => notes.id) }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
    ]);
    const outcome = withCore(pkg("@ydtb/notes", { notes, comments }));
    expect(hits(outcome, "cross-workspace-reference")).toEqual([
      { rule: "cross-workspace-reference", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_comments", column: "note_id" },
    ]);
    // notes has (workspace_id, id) as its primary key already: only the composite foreign key is suggested.
    // The key is declared inline: the fix says to remove that .references() first, or the error stays.
    expect(outcome.diagnostics.find((d) => d.rule === "cross-workspace-reference")?.suggestion).toBe(
      "// comments.noteId: remove .references(…)\n// in the extra config of comments, (t) => [ … ]:\n" +
        "foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }),\n" +
        'import { foreignKey } from "drizzle-orm/pg-core";',
    );
  });
  test("when the target is keyed on id alone, the suggestion adds unique().on(t.workspaceId, t.id) on it", () => {
    const loose = pgTable("ydtb_notes_loose", { workspaceId: scoped().workspaceId, id: text("id").primaryKey() }, (t) => [index("ydtb_notes_loose_ws_idx").on(t.workspaceId)]);
    const refs = pgTable("ydtb_notes_refs", { ...scoped(), looseId: text("loose_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.looseId], foreignColumns: [loose.id] }),
    ]);
    const outcome = withCore(pkg("@ydtb/notes", { loose, refs }));
    expect(hits(outcome, "cross-workspace-reference")).toEqual([
      { rule: "cross-workspace-reference", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_refs", column: "loose_id" },
    ]);
    const suggestion = outcome.diagnostics.find((d) => d.rule === "cross-workspace-reference")?.suggestion ?? "";
    expect(suggestion).toContain("foreignKey({ columns: [t.workspaceId, t.looseId], foreignColumns: [loose.workspaceId, loose.id] })");
    expect(suggestion).toContain("unique().on(t.workspaceId, t.id)");
  });
  test("a composite foreign key onto columns with no key covering exactly them is an error", () => {
    const target = pgTable("ydtb_notes_target", { workspaceId: scoped().workspaceId, id: text("id").primaryKey() }, (t) => [index("ydtb_notes_target_ws_idx").on(t.workspaceId)]);
    const refs = pgTable("ydtb_notes_refs", { ...scoped(), targetId: text("target_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.targetId], foreignColumns: [target.workspaceId, target.id] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { target, refs })), "cross-workspace-reference")).toEqual([
      { rule: "cross-workspace-reference", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_refs", column: "target_id" },
    ]);
    // A key of as many columns that are not the referenced ones does not count.
    const otherKey = pgTable("ydtb_notes_target", { ...scoped(), slug: text("slug").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.slug] })]);
    const ontoOther = pgTable("ydtb_notes_refs", { ...scoped(), targetId: text("target_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.targetId], foreignColumns: [otherKey.workspaceId, otherKey.id] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { otherKey, ontoOther })), "cross-workspace-reference")).toEqual([
      { rule: "cross-workspace-reference", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_refs", column: "target_id" },
    ]);
    // Its twin: the target gets unique (workspace_id, id).
    const keyed = pgTable("ydtb_notes_target", { workspaceId: scoped().workspaceId, id: text("id").primaryKey() }, (t) => [unique().on(t.workspaceId, t.id)]);
    const fixed = pgTable("ydtb_notes_refs", { ...scoped(), targetId: text("target_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.targetId], foreignColumns: [keyed.workspaceId, keyed.id] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { keyed, fixed })), "cross-workspace-reference")).toEqual([]);
  });
  test("the composite twin onto the (workspace_id, id) primary key passes, self-references included", () => {
    const comments = pgTable("ydtb_notes_comments", { ...scoped(), noteId: text("note_id").notNull(), parentId: text("parent_id") }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }).onDelete("cascade"),
      foreignKey({ columns: [t.workspaceId, t.parentId], foreignColumns: [t.workspaceId, t.id] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { notes, comments })), "cross-workspace-reference")).toEqual([]);
  });
  test("a composite key whose workspace_id is paired with another column is not composite by workspace", () => {
    const crossed = pgTable("ydtb_notes_crossed", { ...scoped(), noteId: text("note_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.id, notes.workspaceId] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { notes, crossed })), "cross-workspace-reference")).toEqual([
      { rule: "cross-workspace-reference", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_crossed", column: "note_id" },
    ]);
  });
  test("a reference into another registered package is checked against that package's table", () => {
    const comments = pgTable("ydtb_comments_items", { ...scoped(), noteId: text("note_id").notNull().references(() => notes.id) }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
    ]);
    const notesPkg = pkg("@ydtb/notes", { notes });
    const deps = { dependencies: { "@ydtb/core": "^1.0.0", "@ydtb/notes": "^1.0.0" } };
    expect(hits(withCore(pkg("@ydtb/comments", { comments }, deps), notesPkg), "cross-workspace-reference")).toEqual([
      { rule: "cross-workspace-reference", severity: "error", package: "@ydtb/comments", table: "ydtb_comments_items", column: "note_id" },
    ]);
    const fixed = pgTable("ydtb_comments_items", { ...scoped(), noteId: text("note_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/comments", { fixed }, deps), notesPkg), "cross-workspace-reference")).toEqual([]);
  });
  test("core's workspace-scoped tables are workspace tables to other packages too", () => {
    const single = pgTable("ydtb_notes_assignees", { ...scoped(), userId: text("user_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.userId], foreignColumns: [workspaceMembers.userId] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { single })), "cross-workspace-reference")).toEqual([
      { rule: "cross-workspace-reference", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_assignees", column: "user_id" },
    ]);
    const composite = pgTable("ydtb_notes_assignees", { ...scoped(), userId: text("user_id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ columns: [t.workspaceId, t.userId], foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId] }).onDelete("cascade"),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { composite })), "cross-workspace-reference")).toEqual([]);
  });
  test("a reference to a core global table (users) needs no workspace_id", () => {
    const authors = pgTable("ydtb_notes_authors", { ...scoped(), userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }) }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
    ]);
    expect(hits(withCore(pkg("@ydtb/notes", { authors })), "cross-workspace-reference")).toEqual([]);
  });
});

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
