import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { customType, foreignKey, index, integer, pgTable, primaryKey, serial, text, unique, uuid, varchar, type AnyPgColumn } from "drizzle-orm/pg-core";
import { defineDatabase, type DatabaseManifest, type ValidationOutcome } from "@ydtb/db-registry";
import { migrate } from "@ydtb/db-migrate";
import { describeDatabases } from "@ydtb/test-db";
import * as coreSchema from "../../db-core/src/schema/index.ts";
import { validateManifest } from "../src/index.ts";
import { coreDatabase, pkg, scoped, workspaces } from "./builders.ts";

// Each wrong fix of the past is a fixture here: the schema that trips the rule, the suggestion
// it gets, and the schema with that suggestion applied as written — which this file being
// typechecked (strict) compiles, which validates clean for the rule, and which migrates with
// drizzle-kit's SQL through our engine on PGlite and the server.

const withCore = (m: DatabaseManifest) => validateManifest(m, [coreDatabase]);
const suggestionOf = (outcome: ValidationOutcome, rule: string) => outcome.diagnostics.find((d) => d.rule === rule)?.suggestion ?? "";
const rulesHit = (outcome: ValidationOutcome, rule: string) => outcome.diagnostics.filter((d) => d.rule === rule).length;

// --- SET NULL: the composite key cannot keep it (it would null workspace_id too) ----------------
const notesA = pgTable("ydtb_fx_notes", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
const commentsSetNull = pgTable("ydtb_fx_comments", { ...scoped(), noteId: text("note_id").references(() => notesA.id, { onDelete: "set null" }) }, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
]);
const commentsFixed = pgTable("ydtb_fx_comments", { ...scoped(), noteId: text("note_id") }, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notesA.workspaceId, notesA.id] }),
]);

// --- Self-reference: through `t`, which strict TypeScript accepts (the table's name gives TS7022) -
const treeInline = pgTable("ydtb_fx_tree", { ...scoped(), parentId: text("parent_id").references((): AnyPgColumn => treeInline.id) }, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
]);
const treeFixed = pgTable("ydtb_fx_tree", { ...scoped(), parentId: text("parent_id") }, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  foreignKey({ columns: [t.workspaceId, t.parentId], foreignColumns: [t.workspaceId, t.id] }),
]);

// --- Misnamed workspace column: no `.on(t.workspaceId, t.workspaceId, …)` -------------------------
const misnamed = pgTable("ydtb_fx_labels", {
  workspaceId: varchar("workspaceId", { length: 20 }).notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  id: text("id").notNull(),
  name: text("name").notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique("ydtb_fx_labels_name_unique").on(t.workspaceId, t.name)]);
const renamed = pgTable("ydtb_fx_labels", {
  workspaceId: varchar("workspace_id", { length: 20 }).notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  id: text("id").notNull(),
  name: text("name").notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique("ydtb_fx_labels_name_unique").on(t.workspaceId, t.name)]);

// --- serial → text changes the referencing columns too (else 42804) ------------------------------
const serialParent = pgTable("ydtb_fx_parents", { workspaceId: scoped().workspaceId, id: serial("id").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
const serialChild = pgTable("ydtb_fx_children", { ...scoped(), parentId: integer("parent_id").notNull() }, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  foreignKey({ columns: [t.workspaceId, t.parentId], foreignColumns: [serialParent.workspaceId, serialParent.id] }),
]);
const textParent = pgTable("ydtb_fx_parents", { workspaceId: scoped().workspaceId, id: text("id").notNull().$defaultFn(() => crypto.randomUUID()) }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
const textChild = pgTable("ydtb_fx_children", { ...scoped(), parentId: text("parent_id").notNull() }, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  foreignKey({ columns: [t.workspaceId, t.parentId], foreignColumns: [textParent.workspaceId, textParent.id] }),
]);

// --- customType columns: the naming fix names no function that does not exist ---------------------
const citext = customType<{ data: string }>({ dataType: () => "text" });
const customNamed = pgTable("ydtb_fx_people", { ...scoped(), displayName: citext("displayName") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
const customFixed = pgTable("ydtb_fx_people", { ...scoped(), displayName: citext("display_name") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

// --- uuid tenant column with uuid_ops: changing the type breaks the index, and we say so ----------
const uuidTenant = pgTable("ydtb_fx_events", {
  workspaceId: uuid("workspace_id").notNull(),
  id: text("id").notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ydtb_fx_events_ws_idx").using("btree", t.workspaceId.op("uuid_ops"))]);
const varcharTenant = pgTable("ydtb_fx_events", {
  workspaceId: varchar("workspace_id", { length: 20 }).notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  id: text("id").notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("ydtb_fx_events_ws_idx").using("btree", t.workspaceId)]);

describe("suggestions for the past wrong fixes", () => {
  test("SET NULL: the suggestion states the choice and keeps no SET NULL", () => {
    const outcome = withCore(pkg("@ydtb/fx", { notesA, commentsSetNull }));
    const suggestion = suggestionOf(outcome, "cross-workspace-reference");
    expect(suggestion).toContain("Choose:");
    expect(suggestion).not.toContain('.onDelete("set null")');
    expect(suggestion).toContain("foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notesA.workspaceId, notesA.id] })");
    expect(suggestion).toContain("remove .references(…) from noteId");
    expect(rulesHit(withCore(pkg("@ydtb/fx", { notesA, commentsFixed })), "cross-workspace-reference")).toBe(0);
  });

  test("self-reference: foreignColumns through t", () => {
    const suggestion = suggestionOf(withCore(pkg("@ydtb/fx", { treeInline })), "cross-workspace-reference");
    expect(suggestion).toContain("foreignKey({ columns: [t.workspaceId, t.parentId], foreignColumns: [t.workspaceId, t.id] })");
    expect(suggestion).toContain("remove .references(…) from parentId");
    expect(rulesHit(withCore(pkg("@ydtb/fx", { treeFixed })), "cross-workspace-reference")).toBe(0);
  });

  test("misnamed workspace column: renamed by workspace-column, not doubled by unique-includes-workspace", () => {
    const outcome = withCore(pkg("@ydtb/fx", { misnamed }));
    expect(outcome.diagnostics.map((d) => d.suggestion ?? "").join("\n")).not.toContain("t.workspaceId, t.workspaceId");
    expect(rulesHit(outcome, "unique-includes-workspace")).toBe(0);
    expect(rulesHit(outcome, "workspace-column")).toBe(1);
    expect(withCore(pkg("@ydtb/fx", { renamed })).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  test("serial → text names every referencing column", () => {
    const outcome = withCore(pkg("@ydtb/fx", { serialParent, serialChild }));
    const suggestion = suggestionOf(outcome, "column-types");
    expect(suggestion).toContain('id: text("id").notNull().$defaultFn(() => crypto.randomUUID())');
    expect(suggestion).toContain('parentId: text("parent_id").notNull()');
    const fixed = withCore(pkg("@ydtb/fx", { textParent, textChild }));
    expect(rulesHit(fixed, "column-types") + rulesHit(fixed, "foreign-key-type")).toBe(0);
  });

  test("customType column names: no made-up builder", () => {
    const outcome = withCore(pkg("@ydtb/fx", { customNamed }));
    const suggestion = outcome.diagnostics.find((d) => d.rule === "naming" && d.column === "displayName")?.suggestion ?? "";
    expect(suggestion).not.toMatch(/\bcustom\(/);
    expect(suggestion).toContain('"display_name"');
    expect(rulesHit(withCore(pkg("@ydtb/fx", { customFixed })), "naming")).toBe(0);
  });

  test("uuid tenant column: the type fix warns about uuid_ops, and operator-class catches it left in", () => {
    const outcome = withCore(pkg("@ydtb/fx", { uuidTenant }));
    const columnFix = outcome.diagnostics.find((d) => d.rule === "workspace-column");
    expect(columnFix?.message).toContain("uuid_ops");
    const halfFixed = pgTable("ydtb_fx_events", { workspaceId: varchar("workspace_id", { length: 20 }).notNull().references(() => workspaces.id, { onDelete: "cascade" }), id: text("id").notNull() }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      index("ydtb_fx_events_ws_idx").using("btree", t.workspaceId.op("uuid_ops")),
    ]);
    expect(rulesHit(withCore(pkg("@ydtb/fx", { halfFixed })), "operator-class")).toBe(1);
    expect(withCore(pkg("@ydtb/fx", { varcharTenant })).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});

/** The fixed schemas as one package whose migration is drizzle-kit's SQL for them, after core's. */
async function fixedPackage(): Promise<DatabaseManifest> {
  const { generateDrizzleJson, generateMigration } = await import("drizzle-kit/api");
  const schema = { notesA, commentsFixed, treeFixed, renamed, textParent, textChild, customFixed, varcharTenant };
  const before = generateDrizzleJson({ ...coreSchema });
  const statements = await generateMigration(before, generateDrizzleJson({ ...coreSchema, ...schema }, before.id));
  return defineDatabase({
    packageName: "@ydtb/fx",
    version: "1.0.0",
    schema,
    migrations: [{ id: "0000_fixed", up: async (db) => { for (const s of statements) await db.execute(sql.raw(s)); } }],
    dependencies: { "@ydtb/core": "*" },
  });
}

describeDatabases("the fixed fixtures migrate through the engine", (target) => {
  test("drizzle-kit's SQL for every fixed schema applies after core's", async () => {
    const db = await target.fresh();
    const result = await migrate(db, [coreDatabase, await fixedPackage()]);
    expect(result.failed).toBe(0);
    expect(result.steps.filter((s) => s.package === "@ydtb/fx").map((s) => s.status)).toEqual(["applied"]);
    const tables = await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'ydtb_fx_%' ORDER BY 1");
    expect(tables.map((r) => r.name)).toEqual(["ydtb_fx_children", "ydtb_fx_comments", "ydtb_fx_events", "ydtb_fx_labels", "ydtb_fx_notes", "ydtb_fx_parents", "ydtb_fx_people", "ydtb_fx_tree"]);
  });
});
