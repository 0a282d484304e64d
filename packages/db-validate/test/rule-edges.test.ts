import { describe, expect, test } from "bun:test";
import { foreignKey, index, integer, pgMaterializedView, pgSequence, pgTable, pgView, primaryKey, text, unique, varchar } from "drizzle-orm/pg-core";
import { CORE_PACKAGE, type Diagnostic } from "@ydtb/db-registry";
import { graphDiagnostics, validateManifest } from "../src/index.ts";
import { coreDatabase, pkg, scoped } from "./builders.ts";
import { workspaceMembers } from "../../db-core/src/schema/index.ts";

// Pure, in memory: what each rule says and where, in shapes the other files leave out.

const outcome = (schema: Record<string, unknown>) => validateManifest(pkg("@ydtb/notes", schema), [coreDatabase]);
const of = (schema: Record<string, unknown>, rule: string): Diagnostic[] => outcome(schema).diagnostics.filter((d) => d.rule === rule);
const notes = pgTable("ydtb_notes_items", { ...scoped(), slug: text("slug").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

describe("workspace-column", () => {
  test("a text, nullable workspace_id: both problems, the type first, and one fix retyping it and adding NOT NULL", () => {
    const bad = pgTable("ydtb_notes_bad", { workspaceId: text("workspace_id"), id: text("id").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const [d, ...rest] = of({ bad }, "workspace-column");
    expect(rest).toEqual([]);
    expect([d?.table, d?.column, d?.message]).toEqual([
      "ydtb_notes_bad",
      "workspace_id",
      'Column "workspace_id" of table "ydtb_notes_bad" in "@ydtb/notes" is text, not varchar(20) like ydtb_workspaces.id and allows NULL, which skips every foreign-key check on it; declare it as varchar(20) NOT NULL.',
    ]);
    expect(d?.fixes?.[0]?.edits[0]).toEqual({ kind: "edit-column", table: "bad", column: "workspaceId", builder: 'varchar("workspace_id", { length: 20 })', append: ".notNull()" });
  });

  test("a unique on the misnamed workspace column is left to the rename: no unique-includes-workspace error", () => {
    const look = pgTable("ydtb_notes_look", { ws: varchar("workspaceId", { length: 20 }).notNull(), id: text("id").primaryKey(), slug: text("slug") }, (t) => [
      unique("ydtb_notes_look_slug").on(t.ws, t.slug),
    ]);
    const found = outcome({ look }).diagnostics.filter((d) => d.severity === "error");
    expect(found.map((d) => [d.rule, d.table])).toEqual([["workspace-column", "ydtb_notes_look"]]);
  });
});

describe("the root of isolation, in @ydtb/core", () => {
  test("ydtb_workspaces.id of the right type but not (alone) the primary key is an error naming the key it has", () => {
    const root = { dependencies: {}, globalTables: { ydtb_workspaces: "the root of isolation" } };
    const keyOf = (workspaces: unknown) => validateManifest(pkg(CORE_PACKAGE, { workspaces }, root)).diagnostics.filter((d) => d.rule === "workspace-column").map((d) => [d.column, d.message.split(";")[0]]);
    const unkeyed = pgTable("ydtb_workspaces", { id: varchar("id", { length: 20 }).notNull().unique(), name: text("name").notNull() });
    expect(keyOf(unkeyed)).toEqual([["id", 'Table "ydtb_workspaces" of "@ydtb/core" has primary key (none), not (id)']]);
    const wide = pgTable("ydtb_workspaces", { id: varchar("id", { length: 20 }).notNull(), name: text("name").notNull() }, (t) => [primaryKey({ columns: [t.id, t.name] })]);
    expect(keyOf(wide)).toEqual([["id", 'Table "ydtb_workspaces" of "@ydtb/core" has primary key (id, name), not (id)']]);
    const both = pgTable("ydtb_workspaces", { id: text("id").notNull(), name: text("name").notNull() }, (t) => [primaryKey({ columns: [t.name, t.id] })]);
    const noId = pgTable("ydtb_workspaces", { key: varchar("key", { length: 20 }).primaryKey() });
    expect(keyOf(noId)).toEqual([["id", 'Table "ydtb_workspaces" of "@ydtb/core" has no "id" column']]);
    expect(keyOf(both)).toEqual([["id", 'Table "ydtb_workspaces" of "@ydtb/core" has "id" of type text, not varchar(20) and has primary key (name, id), not (id)']]);
  });
});

describe("table-ownership", () => {
  test("a table another package claims is named with that package", () => {
    const mine = pgTable("ydtb_notes_items", { ...scoped() });
    const manifest = pkg("@ydtb/notes", { mine });
    const message = (others: Parameters<typeof validateManifest>[1]) =>
      validateManifest(manifest, others).diagnostics.filter((d) => d.rule === "table-ownership").map((d) => d.message.split(";")[0]);
    expect(message([coreDatabase, pkg("@ydtb/other", { theirs: pgTable("ydtb_notes_items", { ...scoped() }) })])).toEqual(['Table "ydtb_notes_items" of "@ydtb/notes" is also claimed by "@ydtb/other"']);
  });
});

describe("global-table-scope", () => {
  test("a global table referencing another package's workspace table (core's members) is an error too", () => {
    const badges = pgTable("ydtb_notes_badges", { code: text("code").primaryKey(), ws: varchar("ws", { length: 20 }).notNull(), userId: text("user_id").notNull() }, (t) => [
      foreignKey({ name: "ydtb_notes_badges_member_fk", columns: [t.ws, t.userId], foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId] }),
    ]);
    const found = validateManifest(pkg("@ydtb/notes", { badges }, { globalTables: { ydtb_notes_badges: "shared badges" } }), [coreDatabase]).diagnostics.filter((d) => d.rule === "global-table-scope");
    expect(found.map((d) => [d.table, d.column, d.constraint])).toEqual([["ydtb_notes_badges", "ws", "ydtb_notes_badges_member_fk"]]);
    expect(found[0]?.message).toContain('references the workspace table "ydtb_workspace_members"');
  });
});

describe("shared-names", () => {
  test("an explicitly named unique constraint without the prefix is reported at that constraint, with its rename", () => {
    const items = pgTable("ydtb_notes_items", { ...scoped(), slug: text("slug").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique("slug_unique").on(t.workspaceId, t.slug)]);
    const found = of({ items }, "shared-names");
    expect(found.map((d) => [d.table, d.constraint, d.fixes])).toEqual([
      ["ydtb_notes_items", "slug_unique", [{ edits: [{ kind: "rename", call: "unique", from: "slug_unique", to: "ydtb_notes_slug_unique" }] }]],
    ]);
  });

  test("a clash names the other object's table only when it has one and it is another table", () => {
    const b = pkg("@ydtb/b", { seq: pgSequence("ydtb_b_counter") });
    const items = pgTable("ydtb_a_items", { ...scoped(), slug: text("slug") }, (t) => [
      primaryKey({ columns: [t.workspaceId, t.id] }),
      index("ydtb_b_counter").on(t.workspaceId),
      unique("ydtb_a_items_key").on(t.workspaceId, t.slug),
      index("ydtb_a_items_key").on(t.workspaceId, t.slug),
    ]);
    const clashes = validateManifest(pkg("@ydtb/a", { items }), [coreDatabase, b]).diagnostics.filter((d) => d.rule === "shared-names" && d.message.includes("has the name of"));
    expect(clashes.map((d) => d.message.split(" in schema ")[0])).toEqual([
      'The index "ydtb_b_counter" of "@ydtb/a" has the name of a sequence of "@ydtb/b"',
      'The index "ydtb_a_items_key" of "@ydtb/a" has the name of a unique constraint of this package',
      'The unique constraint "ydtb_a_items_key" of "@ydtb/a" has the name of a index of this package',
    ]);
  });

  test("a unique drizzle names itself is not the author's name: no shared-names error, even on a table outside the prefix", () => {
    const items = pgTable("ydtb_items", { ...scoped(), slug: text("slug").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique().on(t.workspaceId, t.slug)]);
    expect(of({ items }, "shared-names")).toEqual([]);
  });
});

describe("view-isolation", () => {
  test("a view over one workspace table names it, singular", () => {
    const open = pgView("ydtb_notes_open").as((qb) => qb.select().from(notes));
    const [d] = of({ notes, open }, "view-isolation");
    expect(d?.message).toStartWith('View "ydtb_notes_open" of "@ydtb/notes" reads the workspace table "ydtb_notes_items" without security_invoker:');
  });

describe("unused-exemption", () => {
  test("says why an exemption silences nothing: no such rule, no such table, or nothing reported there", () => {
    const manifest = pkg("@ydtb/notes", { notes }, {
      exemptions: [
        { rule: "no-such-rule", table: "ydtb_notes_items", reason: "misspelt" },
        { rule: "naming", table: "ydtb_notes_gone", reason: "dropped" },
        { rule: "naming", table: "ydtb_notes_items", column: "slug", reason: "stale" },
      ],
    });
    const why = validateManifest(manifest, [coreDatabase]).diagnostics.filter((d) => d.rule === "unused-exemption").map((d) => [d.table, d.column, d.message.split("silences nothing: ")[1]]);
    expect(why).toEqual([
      ["ydtb_notes_items", undefined, `there is no rule "no-such-rule" (rules: table-prefix, workspace-column, workspace-foreign-key, cross-workspace-reference, unique-includes-workspace, global-table-scope, foreign-key-type, operator-class, valid-schema, workspace-rls, view-isolation, table-ownership, shared-names, sql-objects, workspace-index, core-table-duplicate, naming, column-types, documentation, unused-exemption); remove it or correct it.`],
      ["ydtb_notes_gone", undefined, 'the schema has no table "ydtb_notes_gone"; remove it or correct it.'],
      ["ydtb_notes_items", "slug", 'rule "naming" reports nothing at "ydtb_notes_items.slug"; remove it or correct it.'],
    ]);
  });
});

  test("a materialized view over one workspace table names it, singular", () => {
    const totals = pgMaterializedView("ydtb_notes_totals").as((qb) => qb.select().from(notes));
    const [d] = of({ notes, totals }, "view-isolation");
    expect(d?.message).toStartWith('Materialized view "ydtb_notes_totals" of "@ydtb/notes" reads the workspace table "ydtb_notes_items": it stores');
  });
});

describe("column-types", () => {
  test("an identity key's fix drops the identity call it was built with", () => {
    const byDefault = pgTable("ydtb_notes_a", { ...scoped(), n: integer("n").primaryKey().generatedByDefaultAsIdentity() });
    const always = pgTable("ydtb_notes_b", { ...scoped(), n: integer("n").primaryKey().generatedAlwaysAsIdentity() });
    const drops = of({ byDefault, always }, "column-types").map((d) => [d.table, d.fixes?.[0]?.edits[0]]);
    expect(drops).toEqual([
      ["ydtb_notes_a", { kind: "edit-column", table: "byDefault", column: "n", builder: 'text("n")', drop: ["generatedByDefaultAsIdentity"], append: ".$defaultFn(() => crypto.randomUUID())" }],
      ["ydtb_notes_b", { kind: "edit-column", table: "always", column: "n", builder: 'text("n")', drop: ["generatedAlwaysAsIdentity"], append: ".$defaultFn(() => crypto.randomUUID())" }],
    ]);
  });
});

describe("dependency-graph", () => {
  const at = (name: string, deps: Record<string, string>, version = "1.0.0") =>
    pkg(name, { t: pgTable(`ydtb_${name.slice(6)}_t`, { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]) }, { version, dependencies: { "@ydtb/core": "*", ...deps } });
  const said = (manifests: Parameters<typeof graphDiagnostics>[0]) => graphDiagnostics(manifests).map((d) => [d.package, d.message.split(". ")[0]]);

  test("a missing package stood in for is still missing to a dependent whose range the stand-in misses", () => {
    expect(said([coreDatabase, at("@ydtb/c", { "@ydtb/gone": "^1.0.0" }), at("@ydtb/e", { "@ydtb/gone": "^2.0.0" })])).toEqual([
      ["@ydtb/c", '"@ydtb/c" depends on "@ydtb/gone" (^1.0.0), which is not registered'],
      ["@ydtb/e", '"@ydtb/e" depends on "@ydtb/gone" (^2.0.0), which is not registered'],
    ]);
  });

  test("a prerelease inside a range satisfies it, one past it does not", () => {
    expect(said([coreDatabase, at("@ydtb/a", {}, "1.1.0-beta.1"), at("@ydtb/b", { "@ydtb/a": "^1.0.0" })])).toEqual([]);
    const past = said([coreDatabase, at("@ydtb/a", {}, "2.0.0-beta.1"), at("@ydtb/b", { "@ydtb/a": "^1.0.0" })]);
    expect(past.map(([p]) => p)).toEqual(["@ydtb/b"]);
    expect(past[0]?.[1]).toContain("2.0.0-beta.1");
  });

  test("a cycle whose first edge is core's implied one is reported once, at the package, and the check ends", () => {
    const ws = pgTable("ydtb_workspaces", { id: text("id").primaryKey() });
    const core = pkg(CORE_PACKAGE, { ws }, { dependencies: { "@ydtb/a": "*" } });
    const n = pkg("@ydtb/a", { t: pgTable("ydtb_a_t", { w: text("w").references(() => ws.id) }) }, { dependencies: {} });
    expect(said([n, core])).toEqual([["@ydtb/a", "Package dependencies form a cycle: @ydtb/a → @ydtb/core → @ydtb/a"]]);
  });
});
