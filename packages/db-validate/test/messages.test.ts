import { describe, expect, test } from "bun:test";
import { index, integer, pgEnum, pgTable, primaryKey, text, uuid, varchar } from "drizzle-orm/pg-core";
import type { Diagnostic } from "@ydtb/db-registry";
import { validateManifest } from "../src/index.ts";
import { coreDatabase, pkg, scoped, workspaces } from "./builders.ts";

// Whole messages and the exact place of diagnostics whose wording or fields the other files
// leave open. Pure, in memory.

const notes = pgTable("ydtb_notes_items", { ...scoped(), title: text("title") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
const of = (schema: Record<string, unknown>, rule: string, overrides: Parameters<typeof pkg>[2] = {}): Diagnostic[] =>
  validateManifest(pkg("@ydtb/notes", schema, overrides), [coreDatabase]).diagnostics.filter((d) => d.rule === rule);

describe("cross-workspace-reference", () => {
  test("a single-column key is told to become composite, in those words", () => {
    const refs = pgTable("ydtb_notes_refs", { ...scoped(), noteId: text("note_id").references(() => notes.id) }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    expect(of({ notes, refs }, "cross-workspace-reference").map((d) => d.message)).toEqual([
      'The foreign key (note_id) of table "ydtb_notes_refs" in "@ydtb/notes" → "ydtb_notes_items"(id) does not carry "workspace_id": a row can point at another workspace\'s row; make it composite, (workspace_id, note_id) → (workspace_id, id).',
    ]);
  });
});

describe("unused-exemption", () => {
  test("the exemption is quoted as written, with its column only when it has one", () => {
    const exemptions = [
      { rule: "naming", table: "ydtb_notes_items", column: "title", reason: "x" },
      { rule: "naming", table: "ydtb_notes_items", reason: "y" },
    ];
    expect(of({ notes }, "unused-exemption", { exemptions }).map((d) => d.message.split(" silences nothing")[0])).toEqual([
      'The exemption { rule: "naming", table: "ydtb_notes_items", column: "title" } of "@ydtb/notes"',
      'The exemption { rule: "naming", table: "ydtb_notes_items" } of "@ydtb/notes"',
    ]);
  });
});

describe("shared-names", () => {
  test("an unprefixed index is reported at that index, not as a constraint", () => {
    const items = pgTable("ydtb_notes_items", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ws_idx").on(t.workspaceId)]);
    expect(of({ items }, "shared-names").map((d) => [d.table, d.index, d.constraint])).toEqual([["ydtb_notes_items", "ws_idx", undefined]]);
  });

  test("an unprefixed primary key is at that constraint; an enum is at no table and no constraint", () => {
    const items = pgTable("ydtb_notes_items", { ...scoped() }, (t) => [primaryKey({ name: "items_pk", columns: [t.workspaceId, t.id] })]);
    const mood = pgEnum("mood", ["a"]);
    expect(of({ items, mood }, "shared-names").map((d) => [d.table, d.index, d.constraint])).toEqual([
      [undefined, undefined, undefined],
      ["ydtb_notes_items", undefined, "items_pk"],
    ]);
  });
});

describe("foreign-key-type", () => {
  test("only a uuid column with a default loses .defaultRandom(): a plain uuid, or another type with a default, keep their chain", () => {
    const refs = pgTable("ydtb_notes_refs", { ...scoped(), noteId: uuid("note_id").references(() => notes.id), n: integer("n").default(1).references(() => notes.title) }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
    ]);
    expect(of({ notes, refs }, "foreign-key-type").map((d) => [d.column, d.fixes?.[0]?.edits[0]])).toEqual([
      ["note_id", { kind: "edit-column", table: "refs", column: "noteId", builder: 'text("note_id")' }],
      ["n", { kind: "edit-column", table: "refs", column: "n", builder: 'text("n")' }],
    ]);
  });
});

describe("workspace-column", () => {
  test("a uuid workspace_id: an operator class on another column of its index is not the old type's", () => {
    const uu = pgTable("ydtb_notes_uu", { workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }), id: text("id").notNull(), title: text("title") }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      index("ydtb_notes_uu_t_idx").on(t.workspaceId, t.title.op("text_pattern_ops")),
    ]);
    const [d] = of({ uu }, "workspace-column");
    expect(d?.message).toBe('Column "workspace_id" of table "ydtb_notes_uu" in "@ydtb/notes" is uuid, not varchar(20) like ydtb_workspaces.id; declare it as varchar(20) NOT NULL.');
    expect(d?.fixes?.[0]?.edits.map((e) => e.kind)).toEqual(["edit-column", "import"]);
  });
});

describe("operator-class", () => {
  test("the class that fits the column's type is offered by name, in the message and the fix", () => {
    const opc = pgTable("ydtb_notes_opc", { ...scoped(), v: varchar("v", { length: 5 }) }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ydtb_notes_opc_v_idx").on(t.workspaceId, t.v.op("uuid_ops"))]);
    const [d] = of({ opc }, "operator-class");
    expect([d?.column, d?.index]).toEqual(["v", "ydtb_notes_opc_v_idx"]);
    expect(d?.message).toEndWith('uses operator class "uuid_ops" on "v", which is varchar(5): the migration fails (42704). Use "text_ops", or drop .op(…) to take the type\'s default.');
    expect(d?.fixes?.[0]?.edits).toEqual([{ kind: "set-op", table: "opc", entry: { call: "index", name: "ydtb_notes_opc_v_idx" }, column: "v", to: "text_ops" }]);
  });
});
