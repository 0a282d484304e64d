import { describe, expect, test } from "bun:test";
import { createRegistry, CORE_PACKAGE, type ManifestValidator } from "@ydtb/db-registry";
import { foreignKey, index, pgTable, primaryKey, serial, text, timestamp, varchar } from "drizzle-orm/pg-core";
import {
  createValidatingRegistry,
  formatValidationReport,
  RULES,
  SchemaValidationError,
  validateManifest,
  validateManifests,
} from "../src/index.ts";
import { coreDatabase, hits, located, pkg, rulesOf, scoped } from "./builders.ts";

/** One package that trips every rule at once. */
function messyPackage() {
  const notes = pgTable("ydtb_notes_items", { workspaceId: scoped().workspaceId, id: text("id").primaryKey() }, (t) => [index("ydtb_notes_items_ws_idx").on(t.workspaceId)]);
  const other = pgTable("ydtb_other_things", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
  const otherPkg = pkg("@ydtb/other", { other });
  const messy = pgTable("Messy", {
    workspaceId: varchar("workspace_id", { length: 20 }), // nullable, no foreign key
    id: serial("id").primaryKey(),
    noteId: text("note_id").references(() => notes.id), // single-column, cross-workspace
    otherId: text("other_id").references(() => other.id), // undeclared package
    slug: text("slug").unique(), // global unique
    title: varchar("title", { length: 80 }), // varchar free text
    createdAt: timestamp("createdAt"), // camelCase, no time zone
  });
  const dup = pgTable("ydtb_other_things", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
  const manifest = pkg("@ydtb/notes", { notes, messy, dup, stray: 42 }, { descriptions: {} });
  return { manifest, otherPkg };
}

const SCHEMA_RULES = [
  "column-types",
  "cross-workspace-reference",
  "documentation",
  "naming",
  "table-ownership",
  "table-prefix",
  "unique-includes-workspace",
  "workspace-column",
  "workspace-foreign-key",
  "workspace-index",
];

describe("a package that trips many rules", () => {
  test("gets every one of them in one outcome", () => {
    const { manifest, otherPkg } = messyPackage();
    const outcome = validateManifest(manifest, [coreDatabase, otherPkg]);
    expect(rulesOf(outcome)).toEqual(SCHEMA_RULES);
    expect(hits(outcome, "workspace-column")).toEqual([{ rule: "workspace-column", severity: "error", package: "@ydtb/notes", table: "Messy", column: "workspace_id" }]);
    expect(hits(outcome, "table-ownership")).toEqual([{ rule: "table-ownership", severity: "error", package: "@ydtb/notes", table: "ydtb_other_things" }]);
  });

  test("registering it throws one SchemaValidationError with all of them, and registers nothing", () => {
    const { manifest } = messyPackage();
    // Another package whose tables do not clash, so the registry's own table-conflict check
    // does not answer before the validator.
    const elsewhere = pkg("@ydtb/elsewhere", { things: pgTable("ydtb_elsewhere_things", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]) });
    const expected = validateManifest(manifest, [coreDatabase, elsewhere]).diagnostics;
    for (const registry of [createValidatingRegistry(), createRegistry({ validate: validateManifest })]) {
      registry.registerDatabase(coreDatabase);
      registry.registerDatabase(elsewhere);
      let thrown: unknown;
      try {
        registry.registerDatabase(manifest);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SchemaValidationError);
      const error = thrown as SchemaValidationError;
      expect(error.code).toBe("SCHEMA_VALIDATION_FAILED");
      expect(error.packageName).toBe("@ydtb/notes");
      const rules = [...new Set(error.diagnostics.map((d) => d.rule))].sort();
      // ydtb_other_things is not registered here: nothing else claims the name (no table-ownership),
      // and other_id points at the package's own twin of that name.
      expect(rules).toEqual(SCHEMA_RULES.filter((r) => r !== "table-ownership"));
      expect(error.diagnostics).toEqual(expected);
      expect(registry.has("@ydtb/notes")).toBe(false);
      expect(registry.ownerOf("ydtb_notes_items")).toBeUndefined();
    }
  });

  test("a package with warnings only registers, and its warnings come back", () => {
    const items = pgTable("ydtb_notes_items", { ...scoped(), createdAt: timestamp("created_at") }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const registry = createValidatingRegistry();
    registry.registerDatabase(coreDatabase);
    const registration = registry.registerDatabase(pkg("@ydtb/notes", { items }));
    expect(registration.warnings.map(located)).toEqual([{ rule: "column-types", severity: "warning", package: "@ydtb/notes", table: "ydtb_notes_items", column: "created_at" }]);
    expect(registry.has("@ydtb/notes")).toBe(true);
  });

  test("validateManifest is a ManifestValidator, and ignores an earlier manifest of the same package", () => {
    const validator: ManifestValidator = validateManifest;
    const items = pgTable("ydtb_notes_items", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    const v1 = pkg("@ydtb/notes", { items });
    const v2 = pkg("@ydtb/notes", { items }, { version: "1.1.0" });
    expect(validator(v2, [coreDatabase, v1]).diagnostics).toEqual([]);
  });

  test("development mode: re-registering a package validates it against the others only", () => {
    const registry = createValidatingRegistry({ mode: "development" });
    registry.registerDatabase(coreDatabase);
    const items = pgTable("ydtb_notes_items", { ...scoped() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
    registry.registerDatabase(pkg("@ydtb/notes", { items }));
    const again = registry.registerDatabase(pkg("@ydtb/notes", { items }, { version: "1.1.0" }));
    expect(again.warnings).toEqual([]);
    expect(again.replaced?.version).toBe("1.0.0");
  });

  test("@ydtb/core registers through the validating registry with no warning", () => {
    const registry = createValidatingRegistry();
    expect(registry.registerDatabase(coreDatabase).warnings).toEqual([]);
  });
});

describe("exemptions", () => {
  const items = pgTable("ydtb_notes_items", { ...scoped(), createdAt: timestamp("created_at").notNull(), updatedAt: timestamp("updated_at").notNull() }, (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
  ]);

  test("an exemption silences exactly the matching diagnostic and is listed with its reason", () => {
    const reason = "mirrors an external system that stores local times";
    const outcome = validateManifest(pkg("@ydtb/notes", { items }, { exemptions: [{ rule: "column-types", table: "ydtb_notes_items", column: "created_at", reason }] }), [coreDatabase]);
    expect(outcome.diagnostics.map(located)).toEqual([{ rule: "column-types", severity: "warning", package: "@ydtb/notes", table: "ydtb_notes_items", column: "updated_at" }]);
    expect(outcome.exempted.map((e) => ({ ...located(e.diagnostic), reason: e.reason }))).toEqual([
      { rule: "column-types", severity: "warning", package: "@ydtb/notes", table: "ydtb_notes_items", column: "created_at", reason },
    ]);
  });

  test("an exemption without a column covers the rule on the whole table", () => {
    const outcome = validateManifest(pkg("@ydtb/notes", { items }, { exemptions: [{ rule: "column-types", table: "ydtb_notes_items", reason: "legacy table" }] }), [coreDatabase]);
    expect(outcome.diagnostics).toEqual([]);
    expect(outcome.exempted.map((e) => e.diagnostic.column)).toEqual(["created_at", "updated_at"]);
  });

  test("an exempted error no longer refuses registration", () => {
    const global = pgTable("ydtb_notes_settings", { key: text("key").primaryKey(), value: text("value").notNull() });
    const manifest = pkg("@ydtb/notes", { global }, { exemptions: [{ rule: "workspace-column", table: "ydtb_notes_settings", reason: "platform-wide settings, no workspace" }] });
    const registry = createValidatingRegistry();
    registry.registerDatabase(coreDatabase);
    const registration = registry.registerDatabase(manifest);
    expect(registration.exempted.map((e) => located(e.diagnostic))).toEqual([{ rule: "workspace-column", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_settings" }]);
  });

  test("an exemption that matches nothing is an unused-exemption warning naming it", () => {
    const manifest = pkg("@ydtb/notes", { items }, {
      exemptions: [
        { rule: "column-types", table: "ydtb_notes_items", column: "created_at", reason: "local times" },
        { rule: "column-types", table: "ydtb_notes_items", column: "updated_at", reason: "local times" },
        { rule: "naming", table: "ydtb_notes_items", column: "id", reason: "stale" },
        { rule: "no-such-rule", table: "ydtb_notes_gone", reason: "misspelt" },
      ],
    });
    const outcome = validateManifest(manifest, [coreDatabase]);
    expect(outcome.diagnostics.map(located)).toEqual([
      { rule: "unused-exemption", severity: "warning", package: "@ydtb/notes", table: "ydtb_notes_items", column: "id" },
      { rule: "unused-exemption", severity: "warning", package: "@ydtb/notes", table: "ydtb_notes_gone" },
    ]);
    expect(outcome.exempted).toHaveLength(2);
  });
});

describe("validateManifests and formatValidationReport", () => {
  const notes = pgTable("ydtb_notes_items", { ...scoped(), title: varchar("title", { length: 100 }).notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
  const comments = pgTable("ydtb_comments_items", { ...scoped(), noteId: text("note_id").notNull() }, (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.noteId], foreignColumns: [notes.id] }),
  ]);
  const notesPkg = pkg("@ydtb/notes", { notes }, { exemptions: [{ rule: "column-types", table: "ydtb_notes_items", column: "title", reason: "titles are capped by design" }] });
  const commentsPkg = pkg("@ydtb/comments", { comments }, { dependencies: { "@ydtb/notes": "^1.0.0" } });

  test("validates each manifest against the others and counts errors and warnings", () => {
    const report = validateManifests([coreDatabase, notesPkg, commentsPkg]);
    expect(report.packages.map((p) => p.package)).toEqual([CORE_PACKAGE, "@ydtb/notes", "@ydtb/comments"]);
    expect(report.packages.map((p) => p.diagnostics.map(located))).toEqual([
      [],
      [],
      [{ rule: "cross-workspace-reference", severity: "error", package: "@ydtb/comments", table: "ydtb_comments_items", column: "note_id" }],
    ]);
    expect(report.packages[1]?.exempted.map((e) => e.reason)).toEqual(["titles are capped by design"]);
    expect(report.errorCount).toBe(1);
    expect(report.warningCount).toBe(0);
  });

  test("the report is plain JSON", () => {
    const report = validateManifests([coreDatabase, notesPkg, commentsPkg]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  test("the text groups by package, with the location, the suggestion indented under it, and exemptions with reasons", () => {
    const text = formatValidationReport(validateManifests([coreDatabase, notesPkg, commentsPkg]));
    const lines = text.split("\n");
    const header = (name: string) => lines.findIndex((l) => l.startsWith(`${name}:`));
    expect(header(CORE_PACKAGE)).toBe(0);
    expect(header("@ydtb/notes")).toBeGreaterThan(0);
    expect(header("@ydtb/comments")).toBeGreaterThan(header("@ydtb/notes"));
    const at = lines.findIndex((l) => l.startsWith("  error [cross-workspace-reference] ydtb_comments_items.note_id ("));
    expect(at).toBeGreaterThan(header("@ydtb/comments"));
    expect(lines.slice(at + 1, at + 6)).toContain("      foreignKey({ columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }),");
    expect(lines.slice(header("@ydtb/notes"), header("@ydtb/comments"))).toContain(
      "  exempted warning [column-types] ydtb_notes_items.title: titles are capped by design",
    );
    expect(lines.at(-1)).toBe("1 error, 0 warnings in 3 packages");
  });
});

describe("RULES", () => {
  test("lists every rule once, kebab-case, with its severity and one line of documentation", () => {
    expect(RULES.map((r) => [r.name, r.severity])).toEqual([
      ["table-prefix", "error"],
      ["workspace-column", "error"],
      ["workspace-foreign-key", "error"],
      ["cross-workspace-reference", "error"],
      ["unique-includes-workspace", "error"],
      ["global-table-scope", "error"],
      ["foreign-key-type", "error"],
      ["operator-class", "error"],
      ["valid-schema", "error"],
      ["workspace-rls", "error"],
      ["view-isolation", "error"],
      ["table-ownership", "error"],
      ["shared-names", "error"],
      ["sql-objects", "error"],
      ["workspace-index", "warning"],
      ["core-table-duplicate", "warning"],
      ["naming", "warning"],
      ["column-types", "warning"],
      ["documentation", "warning"],
      ["unused-exemption", "warning"],
    ]);
    for (const rule of RULES) {
      expect(rule.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.description.length).toBeGreaterThan(10);
      expect(rule.description).not.toContain("\n");
    }
  });
});
