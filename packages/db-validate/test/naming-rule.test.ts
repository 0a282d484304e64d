import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgSchema, pgTable, primaryKey, text, unique, uniqueIndex } from "drizzle-orm/pg-core";
import { validateManifest } from "../src/index.ts";
import { coreDatabase, pkg, scoped } from "./builders.ts";

// Every name the naming rule checks, where it reports it and the rename it offers: pure.

describe("naming", () => {
  test("schema, table, column, index and every kind of named constraint: at its place, renamed snake_case under the package prefix", () => {
    const Side = pgSchema("NotesSide");
    const parent = pgTable("ydtb_notes_parent", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const items = Side.table("ydtb_notes_Items", { ...scoped(), pId: text("pId"), code: text("code").unique("CodeKey"), slug: text("slug") }, (t) => [
      primaryKey({ name: "ItemsPk", columns: [t.workspaceId, t.id] }),
      index("Items_ws_idx").on(t.workspaceId),
      uniqueIndex("ydtb_notes_SlugIdx").on(t.workspaceId, t.slug),
      unique("SlugKey").on(t.workspaceId, t.slug),
      foreignKey({ name: "ParentFk", columns: [t.workspaceId, t.pId], foreignColumns: [parent.workspaceId, parent.id] }),
      check("SlugCheck", sql`${t.slug} <> ''`),
    ]);
    const bare = pgTable("ydtb_notes_", { ...scoped() });
    const foreign = pgTable("ydtb_other_things", { ...scoped() });
    const good = pgTable("ydtb_notes_good", { ...scoped(), a: text("a").unique() }, (t) => [unique().on(t.workspaceId, t.a), foreignKey({ columns: [t.workspaceId, t.id], foreignColumns: [parent.workspaceId, parent.id] })]);
    const derived = pgTable("ydtb_notes_derived", { ...scoped(), aB: text("aB").unique() });
    const found = validateManifest(pkg("@ydtb/notes", { Side, parent, items, bare, foreign, good, derived }, { descriptions: {} }), [coreDatabase]).diagnostics.filter((d) => d.rule === "naming");
    const rename = (call: string, from: string, to: string) => ({ kind: "rename", call, from, to }) as const;
    const at = "NotesSide.ydtb_notes_Items";
    expect(found.map((d) => [d.severity, d.table, d.column ?? d.index ?? d.constraint ?? "", d.message.split("; ")[1], d.fixes?.[0]?.edits[0]])).toEqual([
      ["warning", at, "", 'call it "notes_side".', rename("pgSchema", "NotesSide", "notes_side")],
      ["warning", at, "", "rename it and generate a migration.", rename("table", "ydtb_notes_Items", "ydtb_notes_items")],
      ["warning", at, "pId", 'name it "p_id".', { kind: "edit-column", table: "items", column: "pId", name: "p_id" }],
      ["warning", at, "Items_ws_idx", 'name it "ydtb_notes_items_ws_idx".', rename("index", "Items_ws_idx", "ydtb_notes_items_ws_idx")],
      ["warning", at, "ydtb_notes_SlugIdx", 'name it "ydtb_notes_slug_idx".', rename("uniqueIndex", "ydtb_notes_SlugIdx", "ydtb_notes_slug_idx")],
      ["warning", at, "ParentFk", 'name it "ydtb_notes_parent_fk".', rename("foreignKey", "ParentFk", "ydtb_notes_parent_fk")],
      ["warning", at, "ItemsPk", 'name it "ydtb_notes_items_pk".', rename("primaryKey", "ItemsPk", "ydtb_notes_items_pk")],
      ["warning", at, "SlugKey", 'name it "ydtb_notes_slug_key".', rename("unique", "SlugKey", "ydtb_notes_slug_key")],
      ["warning", at, "CodeKey", 'name it "ydtb_notes_code_key".', rename("unique", "CodeKey", "ydtb_notes_code_key")],
      ["warning", at, "SlugCheck", 'name it "ydtb_notes_slug_check".', rename("check", "SlugCheck", "ydtb_notes_slug_check")],
      ["warning", "ydtb_notes_", "", "rename it and generate a migration.", rename("pgTable", "ydtb_notes_", "ydtb_notes_notes")],
      ["warning", "ydtb_other_things", "", "rename it and generate a migration.", rename("pgTable", "ydtb_other_things", "ydtb_notes_other_things")],
      // The unique's derived name (ydtb_notes_derived_aB_unique) follows the column's: only the column is reported.
      ["warning", "ydtb_notes_derived", "aB", 'name it "a_b".', { kind: "edit-column", table: "derived", column: "aB", name: "a_b" }],
    ]);
    expect(found.find((d) => d.table === "ydtb_other_things")?.message).toBe(
      'Table "ydtb_other_things" of "@ydtb/notes" should be named "ydtb_notes_<name>" in snake_case, e.g. "ydtb_notes_other_things"; rename it and generate a migration.',
    );
  });
});
