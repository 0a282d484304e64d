import { describe, expect, test } from "bun:test";
import { basename, join } from "node:path";
import type { Diagnostic } from "@ydtb/db-registry";
import { migrate } from "@ydtb/db-migrate";
import { describeDatabases, type TestDatabase } from "@ydtb/test-db";
import { renderFixes } from "../src/suggested-fix.ts";
import { applyAll, FIXTURES_DIR, REGISTERED, migratablePackage, packageNameOf, resetAppliedDir, typecheckApplied, validateModule, type Applied, type Fixture } from "./fix-harness.ts";

// Every rule whose suggestion is a change to the schema source has fixtures here, the past
// wrong fixes among them. Each diagnostic's fixes (data) are applied to the fixture's source
// mechanically; each result must compile under strict tsc, validate clean for the rule, and
// migrate: drizzle-kit's SQL for it through our engine, on PGlite and the server.
// Elsewhere, as their pipeline differs: sql-objects (fixes to the SQL migrations) in
// ./sql-fixes.test.ts; workspace-rls (the fix is `bun run db:generate`) in ./rls-fix.test.ts.

const FIXTURES: readonly Fixture[] = [
  { file: "set-null.ts", rule: "cross-workspace-reference" },
  { file: "self-reference.ts", rule: "cross-workspace-reference" },
  { file: "unkeyed-target.ts", rule: "cross-workspace-reference" },
  { file: "misnamed-workspace.ts", rule: "workspace-column" },
  { file: "missing-workspace.ts", rule: "workspace-column" },
  { file: "uuid-tenant.ts", rule: "workspace-column" },
  { file: "workspace-fk.ts", rule: "workspace-foreign-key" },
  { file: "workspace-fk-config.ts", rule: "workspace-foreign-key" },
  { file: "uniques.ts", rule: "unique-includes-workspace" },
  { file: "fk-type.ts", rule: "foreign-key-type" },
  { file: "operator-class.ts", rule: "operator-class" },
  { file: "workspace-index.ts", rule: "workspace-index" },
  { file: "table-prefix.ts", rule: "table-prefix" },
  { file: "naming.ts", rule: "naming" },
  { file: "column-types.ts", rule: "column-types" },
  { file: "core-duplicate.ts", rule: "core-table-duplicate" },
  { file: "shared-names.ts", rule: "shared-names" },
  { file: "documentation.ts", rule: "documentation" },
  { file: "valid-schema.ts", rule: "valid-schema" },
  { file: "view-isolation.ts", rule: "view-isolation" },
];

resetAppliedDir();
const tripped = new Map<string, readonly Diagnostic[]>();
const originals = new Map<string, readonly Diagnostic[]>();
const applied: Applied[] = [];
for (const fixture of FIXTURES) {
  const { diagnostics } = await validateModule(join(FIXTURES_DIR, fixture.file), packageNameOf(fixture.file));
  const own = diagnostics.filter((d) => d.rule === fixture.rule);
  tripped.set(fixture.file, own);
  originals.set(fixture.file, diagnostics);
  applied.push(...applyAll(fixture, own));
}
// One tsc run for every copy: a run costs seconds, a file milliseconds.
const tscErrors = await typecheckApplied();

describe("every suggestion is data, applied to the fixture's source", () => {
  test.each(FIXTURES.map((f) => [f.file, f.rule] as const))("%s trips %s, and each suggestion is its fixes rendered", (file) => {
    const own = tripped.get(file) ?? [];
    expect(own.length).toBeGreaterThan(0);
    for (const d of own) {
      expect(d.fixes?.length ?? 0).toBeGreaterThan(0);
      expect(d.suggestion).toBe(renderFixes(d.fixes ?? []));
    }
  });

  test.each(applied.map((a) => [basename(a.path), a] as const))("%s compiles under strict tsc, validates clean for its rule, and brings no new error", async (_, a) => {
    expect(tscErrors.get(basename(a.path)) ?? []).toEqual([]);
    const { diagnostics } = await validateModule(a.path, a.packageName);
    expect(diagnostics.filter((d) => d.rule === a.fixture.rule).map((d) => d.message)).toEqual([]);
    const errorsByRule = (list: readonly Diagnostic[]) => Object.fromEntries([...new Set(list.filter((d) => d.severity === "error").map((d) => d.rule))].map((r) => [r, list.filter((d) => d.severity === "error" && d.rule === r).length]));
    const before = errorsByRule(originals.get(a.fixture.file) ?? []);
    const grown = Object.entries(errorsByRule(diagnostics)).filter(([rule, n]) => n > (before[rule] ?? 0));
    expect(grown).toEqual([]);
  });

  test("SET NULL is a choice: NO ACTION or CASCADE, each applied, neither keeps SET NULL", () => {
    const d = tripped.get("set-null.ts")?.[0];
    expect(d?.fixes?.map((f) => /NO ACTION|CASCADE/.exec(f.label ?? "")?.[0])).toEqual(["NO ACTION", "CASCADE"]);
    const copies = applied.filter((a) => a.fixture.file === "set-null.ts");
    expect(copies.map((a) => a.source.includes("set null"))).toEqual([false, false]);
    expect(copies.map((a) => a.source.includes('.onDelete("cascade")]'))).toEqual([false, true]);
  });

  test("a misnamed workspace column is renamed once; no unique gets it twice", () => {
    const source = applied.find((a) => a.fixture.file === "misnamed-workspace.ts")?.source ?? "";
    expect(source).toContain('varchar("workspace_id", { length: 20 })');
    expect(source).not.toContain("t.workspaceId, t.workspaceId");
  });

  test("a partial and an expression unique index get workspace_id first, their .where(…) and expression kept", () => {
    const source = applied.find((a) => a.fixture.file === "uniques.ts")?.source ?? "";
    expect(source).toContain('uniqueIndex("ydtb_fxuniques_links_alias_idx").on(t.workspaceId, t.alias).where(sql`${t.alias} IS NOT NULL`)');
    expect(source).toContain('uniqueIndex("ydtb_fxuniques_links_email_idx").on(t.workspaceId, sql`lower(${t.email})`)');
    expect(source).toContain('handle: text("handle").notNull(),');
    expect(source).toContain('unique("ydtb_fxuniques_links_handle_key").on(t.workspaceId, t.handle)');
  });

  test("a workspace key in the extra config is rewritten there with CASCADE, its name and ON UPDATE kept", () => {
    const source = applied.find((a) => a.fixture.file === "workspace-fk-config.ts")?.source ?? "";
    expect(source).toContain('foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete("cascade")');
    expect(source).toContain('foreignKey({ name: "ydtb_fxworkspacefkconfig_cards_ws_fk", columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete("cascade").onUpdate("cascade")');
    expect(source).not.toContain("restrict");
  });

  test("security_invoker is written into the views: a .with() added, or the option added to the one there", () => {
    const source = applied.find((a) => a.fixture.file === "view-isolation.ts")?.source ?? "";
    expect(source).toContain('pgView("ydtb_fxviewisolation_open").with({ securityInvoker: true }).as(');
    expect(source).toContain(".with({ securityBarrier: true, securityInvoker: true })");
  });
});

/** Deletes a note a comment points at, in the SET NULL fixture's tables: what happened. */
async function deleteReferencedNote(db: TestDatabase): Promise<string> {
  await db.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('ws_setnull', 'W', 'ws-setnull')`);
  await db.exec(`INSERT INTO ydtb_fxsetnull_notes (workspace_id, id) VALUES ('ws_setnull', 'n1')`);
  await db.exec(`INSERT INTO ydtb_fxsetnull_comments (workspace_id, id, note_id) VALUES ('ws_setnull', 'c1', 'n1')`);
  try {
    await db.exec(`DELETE FROM ydtb_fxsetnull_notes WHERE id = 'n1'`);
  } catch (error) {
    // The refusal is the outcome under test: its SQLSTATE is the answer.
    return `refused ${(error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code}`;
  }
  const left = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ydtb_fxsetnull_comments`);
  return `deleted, ${left[0]?.n} comments left`;
}

describeDatabases("the applied fixes migrate: drizzle-kit's SQL through our engine", (target) => {
  test("every applied copy, one database per fix option", async () => {
    const options = [...new Set(applied.map((a) => a.option))];
    for (const option of options) {
      const copies = applied.filter((a) => a.option === option);
      const packages = await Promise.all(copies.map(async (a) => migratablePackage(a, (await validateModule(a.path, a.packageName)).manifest)));
      const db = await target.fresh();
      // Core always; the other registered packages only where a copy depends on them.
      const needed = REGISTERED.filter((m, i) => i === 0 || packages.some((p) => Object.hasOwn(p.dependencies, m.packageName)));
      const result = await migrate(db, [...needed, ...packages]);
      const fixtureSteps = result.steps.filter((s) => s.package.startsWith("@ydtb/fx"));
      expect(fixtureSteps.filter((s) => s.status !== "applied")).toEqual([]);
      expect(fixtureSteps.length).toBe(copies.length);
      expect(result.failed).toBe(0);
      // The SET NULL choice does what its label says: NO ACTION refuses the delete, CASCADE takes the comment along.
      const setNull = copies.find((a) => a.fixture.file === "set-null.ts");
      if (setNull) expect(await deleteReferencedNote(db)).toBe(setNull.option === 0 ? "refused 23503" : "deleted, 0 comments left");
    }
  });
});
