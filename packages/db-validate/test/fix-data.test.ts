import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { foreignKey, pgEnum, pgTable, primaryKey, serial, text, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import type { Diagnostic } from "@ydtb/db-registry";
import { validateManifest } from "../src/index.ts";
import { coreDatabase, pkg, scoped, workspaces } from "./builders.ts";

// The fixes as data, exactly: what the suite's fixers apply and what `suggestion` renders.
// Pure and in memory (fixes.test.ts applies them to source files and migrates).

const only = (schema: Record<string, unknown>, rule: string): Diagnostic[] => validateManifest(pkg("@ydtb/notes", schema), [coreDatabase]).diagnostics.filter((d) => d.rule === rule);
const importCore = { kind: "import", from: "@ydtb/db-core/schema", names: ["workspaces"] } as const;
const notes = pgTable("ydtb_notes_items", { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

describe("workspace-column", () => {
  test("a workspace column under another SQL name is renamed, not added again", () => {
    const items = pgTable("ydtb_notes_items", { wsId: varchar("WorkspaceID", { length: 20 }).notNull(), id: text("id").primaryKey() });
    const [d, ...rest] = only({ items }, "workspace-column");
    expect(rest).toEqual([]);
    expect(d?.message).toStartWith('Table "ydtb_notes_items" of "@ydtb/notes" names its workspace column "WorkspaceID"; the SQL name must be "workspace_id"');
    expect(d?.fixes).toEqual([{ edits: [{ kind: "edit-column", table: "items", column: "wsId", name: "workspace_id" }] }]);
  });
});

describe("workspace-foreign-key", () => {
  const cascade = '.references(() => workspaces.id, { onDelete: "cascade" })';

  test("no key at all: the reference is appended, nothing dropped", () => {
    const items = pgTable("ydtb_notes_items", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
    ]);
    const [d] = only({ items }, "workspace-foreign-key");
    expect(d?.message).toStartWith('Column "workspace_id" of table "ydtb_notes_items" in "@ydtb/notes" has no foreign key to "ydtb_workspaces.id"');
    expect(d?.fixes).toEqual([{ edits: [{ kind: "edit-column", table: "items", column: "workspaceId", append: cascade }, importCore] }]);
  });

  test("a key without CASCADE: its action is named, and the inline reference replaced", () => {
    for (const [onDelete, shown] of [[undefined, "NO ACTION"], ["set null", "SET NULL"], ["restrict", "RESTRICT"]] as const) {
      const items = pgTable(
        "ydtb_notes_items",
        { workspaceId: varchar("workspace_id", { length: 20 }).notNull().references(() => workspaces.id, onDelete ? { onDelete } : {}), id: text("id").notNull() },
        (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
      );
      const [d] = only({ items }, "workspace-foreign-key");
      expect(d?.message).toContain(`to "ydtb_workspaces.id" is ON DELETE ${shown}; make it ON DELETE CASCADE`);
      expect(d?.fixes).toEqual([{ edits: [{ kind: "edit-column", table: "items", column: "workspaceId", drop: ["references"], append: cascade }, importCore] }]);
    }
  });
});

describe("cross-workspace-reference", () => {
  test("a single-column key's ON DELETE is carried into the composite key, except SET NULL and NO ACTION", () => {
    const suggested = (onDelete?: "cascade" | "restrict" | "no action") => {
      const comments = pgTable("ydtb_notes_comments", { ...scoped(), noteId: text("note_id").notNull().references(() => notes.id, onDelete ? { onDelete } : {}) }, (t) => [
        primaryKey({ columns: [t.workspaceId, t.id] }),
      ]);
      const [d, ...rest] = only({ notes, comments }, "cross-workspace-reference");
      expect(rest).toEqual([]);
      return d?.fixes?.[0]?.edits[1];
    };
    const key = (tail: string) => ({ kind: "add-entry", table: "comments", code: `foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] })${tail}` }) as const;
    expect(suggested("cascade")).toEqual(key('.onDelete("cascade")'));
    expect(suggested("restrict")).toEqual(key('.onDelete("restrict")'));
    expect(suggested("no action")).toEqual(key(""));
    expect(suggested()).toEqual(key(""));
  });

  test("SET NULL is a choice of two fixes, numbered from 1 in the suggestion", () => {
    const comments = pgTable("ydtb_notes_comments", { ...scoped(), noteId: text("note_id").references(() => notes.id, { onDelete: "set null" }) }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
    ]);
    const [d] = only({ notes, comments }, "cross-workspace-reference");
    expect(d?.fixes?.map((f) => f.label?.split("; ")[1])).toEqual(["NO ACTION: the delete is refused while rows point at it", "CASCADE: the rows that point at it are deleted with it"]);
    expect(d?.suggestion?.split("\n").filter((l) => l.startsWith("// (") || l.startsWith("// Choose")).map((l) => l.slice(0, 20))).toEqual(["// Choose one of 2:", "// (1) ON DELETE SET", "// (2) ON DELETE SET"]);
  });
});

describe("workspace-index", () => {
  test("the index suggested is named under the package prefix, whether or not the table's name carries it", () => {
    const table = (name: string) => pgTable(name, { ...scoped(), title: text("title").notNull() }, (t) => [primaryKey({ columns: [t.id, t.workspaceId] })]);
    const found = only({ tags: table("ydtb_notes_tags"), items: table("ydtb_items") }, "workspace-index");
    const entry = (variable: string, name: string) => [
      { edits: [{ kind: "add-entry", table: variable, code: `index("${name}").on(t.workspaceId)` }, { kind: "import", from: "drizzle-orm/pg-core", names: ["index"] }] },
    ] as const;
    expect(found.map((d) => [d.table, d.column, d.fixes])).toEqual([
      ["ydtb_notes_tags", "workspace_id", entry("tags", "ydtb_notes_tags_workspace_id_idx")],
      ["ydtb_items", "workspace_id", entry("items", "ydtb_notes_items_workspace_id_idx")],
    ]);
  });
});

describe("foreign-key-type", () => {
  test("a uuid column referencing a text id is rebuilt as text, its random default dropped, at the key drizzle named", () => {
    const refs = pgTable("ydtb_notes_refs", { ...scoped(), docId: uuid("doc_id").defaultRandom().notNull().references(() => notes.id) }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const found = only({ notes, refs }, "foreign-key-type");
    expect(found.map((d) => [d.table, d.column, d.constraint, d.fixes])).toEqual([
      [
        "ydtb_notes_refs",
        "doc_id",
        "ydtb_notes_refs_doc_id_ydtb_notes_items_id_fk",
        [{ edits: [{ kind: "edit-column", table: "refs", column: "docId", builder: 'text("doc_id")', drop: ["defaultRandom"] }, { kind: "import", from: "drizzle-orm/pg-core", names: ["text"] }] }],
      ],
    ]);
  });
});

describe("core-table-duplicate", () => {
  test("the copy is removed and core's table imported under the package's own name, aliased when it differs", () => {
    const crmUsers = pgTable("ydtb_notes_users", { id: text("id").primaryKey() });
    const accounts = pgTable("ydtb_notes_accounts", { id: text("id").primaryKey() });
    const manifest = pkg("@ydtb/notes", { crmUsers, accounts }, { globalTables: { ydtb_notes_users: "ours", ydtb_notes_accounts: "ours" } });
    const found = validateManifest(manifest, [coreDatabase]).diagnostics.filter((d) => d.rule === "core-table-duplicate");
    const fix = (own: string, name: string) => [{ edits: [{ kind: "remove-table", table: own }, { kind: "import", from: "@ydtb/db-core/schema", names: [name] }] }] as const;
    expect(found.map((d) => [d.table, d.fixes])).toEqual([
      ["ydtb_notes_users", fix("crmUsers", "users as crmUsers")],
      ["ydtb_notes_accounts", fix("accounts", "accounts")],
    ]);
  });
});

describe("table-ownership", () => {
  test("one table name defined twice in one schema is reported once, with the count", () => {
    const twinA = pgTable("ydtb_notes_twin", { ...scoped() });
    const twinB = pgTable("ydtb_notes_twin", { ...scoped() });
    const found = only({ twinA, twinB }, "table-ownership");
    expect(found.map((d) => [d.table, d.message])).toEqual([
      ["ydtb_notes_twin", 'Table "ydtb_notes_twin" is defined 2 times in the schema of "@ydtb/notes"; keep one pgTable("ydtb_notes_twin", …) and export it once.'],
    ]);
  });
});

describe("fixes that cannot be mechanical, and the parts a message leaves out", () => {
  const mood = pgEnum("ydtb_notes_mood", ["a"]);
  const moods = pgTable("ydtb_notes_moods", { ...scoped(), mood: mood("mood").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex().on(t.workspaceId, t.mood)]);

  test("a text column referencing an enum column gets a suggestion, not a builder it cannot name", () => {
    const uses = pgTable("ydtb_notes_uses", { ...scoped(), mood: text("mood").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      foreignKey({ name: "ydtb_notes_uses_mood_fk", columns: [t.workspaceId, t.mood], foreignColumns: [moods.workspaceId, moods.mood] }),
    ]);
    const [d, ...rest] = only({ mood, moods, uses }, "foreign-key-type");
    expect(rest).toEqual([]);
    expect([d?.column, d?.fixes, d?.suggestion]).toEqual(["mood", undefined, '// mood: build it with the same enum or customType as "ydtb_notes_moods.mood"']);
  });

  test("an unnamed partial unique index gets workspace_id put first in its .on(…), its where kept", () => {
    const uses = pgTable("ydtb_notes_uses", { ...scoped(), code: text("code") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex().on(t.code).where(sql`${t.code} IS NOT NULL`)]);
    const [d] = only({ uses }, "unique-includes-workspace");
    expect(d?.fixes).toEqual([{ edits: [{ kind: "first-on", table: "uses", entry: { call: "uniqueIndex", name: "ydtb_notes_uses_code_index", on: ["code"] }, column: "workspaceId" }] }]);
  });

  test("a serial key nothing references: the message ends at the advice, naming no referencing column", () => {
    const counters = pgTable("ydtb_notes_counters", { workspaceId: scoped().workspaceId, n: serial("n").primaryKey() });
    const [d] = only({ counters }, "column-types");
    expect(d?.message).toEndWith("so each workspace sees how many rows the others create; use a random id.");
  });
});
