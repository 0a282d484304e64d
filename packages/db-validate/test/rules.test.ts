import { describe, expect, test } from "bun:test";
import {
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  unique,
  varchar,
} from "drizzle-orm/pg-core";
import { CORE_PACKAGE } from "@ydtb/db-registry";
import { validateManifest } from "../src/index.ts";
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
