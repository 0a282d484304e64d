import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bindManifest, defineDatabase, type DatabaseManifest, type Diagnostic } from "@ydtb/db-registry";
import { migrate } from "@ydtb/db-migrate";
import { describeDatabases } from "@ydtb/test-db";
import { prepareSqlObjects, validateManifests } from "../src/index.ts";
import { renderFixes } from "../src/suggested-fix.ts";
import { applySqlFixes } from "./apply-sql-fix.ts";
import { coreDatabase } from "./builders.ts";
import { FIXTURES_DIR } from "./fix-harness.ts";

// The sql-objects fixes edit SQL migrations, not the schema module: each fixture folder in
// fixtures/fixes/ (a package of SQL migrations) is copied, its diagnostics' fixes applied to
// the copy (./apply-sql-fix.ts), and the copy validated clean for the rule and, for the
// routines, migrated by our engine on PGlite and the server. The role fixture is validated
// only: a role is cluster-wide and would outlive the test's database on the server.

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const packageAt = (dir: string, packageName: string): DatabaseManifest =>
  bindManifest(defineDatabase({ packageName, version: "1.0.0", migrations: "./drizzle", dependencies: { "@ydtb/core": "*" } }), { packageDir: dir });

async function diagnosticsOf(manifest: DatabaseManifest): Promise<{ own: Diagnostic[]; errors: Diagnostic[] }> {
  await prepareSqlObjects([coreDatabase, manifest]);
  const diagnostics = validateManifests([coreDatabase, manifest], { packages: [manifest.packageName], graph: false }).packages.flatMap((p) => p.diagnostics);
  return { own: diagnostics.filter((d) => d.rule === "sql-objects"), errors: diagnostics.filter((d) => d.severity === "error") };
}

/** The fixture folder `name`, and a copy of it with its sql-objects fixes applied. */
async function fixedCopy(name: string) {
  const original = packageAt(join(FIXTURES_DIR, name), `@ydtb/fx${name.replace(/-/g, "")}`);
  const before = await diagnosticsOf(original);
  const dir = mkdtempSync(join(tmpdir(), `ydtb-sql-fix-${name}-`));
  made.push(dir);
  applySqlFixes(join(FIXTURES_DIR, name), dir, before.own.flatMap((d) => d.fixes?.slice(0, 1) ?? []));
  const fixed = packageAt(dir, original.packageName);
  return { before, fixed, after: await diagnosticsOf(fixed) };
}

const routines = await fixedCopy("sql-objects");
const roles = await fixedCopy("sql-roles");

describe("sql-objects fixes are data, applied to the package's SQL migrations", () => {
  test.each([["sql-objects", routines], ["sql-roles", roles]] as const)("%s trips the rule, each suggestion is its fixes rendered, and the fixed copy is clean with no new error", (_, c) => {
    expect(c.before.own.length).toBeGreaterThan(0);
    for (const d of c.before.own) {
      expect(d.fixes?.length ?? 0).toBeGreaterThan(0);
      expect(d.suggestion).toBe(renderFixes(d.fixes ?? []));
    }
    expect(c.after.own.map((d) => d.message)).toEqual([]);
    expect(c.after.errors.length).toBeLessThanOrEqual(c.before.errors.length - c.before.own.length);
  });

  test("each routine and the role are renamed with the prefix at their CREATE and at every use", () => {
    expect(routines.before.own.map((d) => d.fixes?.[0]?.edits.map((e) => (e.kind === "rename-sql" ? `${e.file}:${e.line} ${e.from}→${e.to}` : e.kind)))).toEqual([
      ["drizzle/0000_init.sql:4 touch_updated_at→ydtb_fxsqlobjects_touch_updated_at"],
      ["drizzle/0000_init.sql:8 purge→ydtb_fxsqlobjects_purge"],
      ["drizzle/0000_init.sql:10 total→ydtb_fxsqlobjects_total"],
    ]);
    expect(roles.before.own.flatMap((d) => d.fixes?.[0]?.edits.map((e) => (e.kind === "rename-sql" ? e.to : e.kind)))).toEqual(["ydtb_fxsqlroles_reader"]);
  });
});

describeDatabases("the fixed SQL migrations run through our engine", (target) => {
  test("the renamed routines are created and used under their new names", async () => {
    const db = await target.fresh();
    const result = await migrate(db, [coreDatabase, routines.fixed]);
    expect(result.failed).toBe(0);
    expect(result.steps.filter((s) => s.package === routines.fixed.packageName).map((s) => s.status)).toEqual(["applied", "applied"]);
    await db.exec("INSERT INTO ydtb_fxsqlobjects_items (id, n) VALUES ('a', 2), ('b', 3)");
    await db.exec("UPDATE ydtb_fxsqlobjects_items SET n = n + 1 WHERE id = 'a'");
    expect(await db.query<{ s: number; touched: number }>("SELECT ydtb_fxsqlobjects_sum() AS s, count(updated_at)::int AS touched FROM ydtb_fxsqlobjects_items")).toEqual([{ s: 6, touched: 1 }]);
    await db.exec("CALL ydtb_fxsqlobjects_purge()");
    expect(await db.query<{ n: number }>("SELECT count(*)::int AS n FROM ydtb_fxsqlobjects_items")).toEqual([{ n: 0 }]);
  });
});
