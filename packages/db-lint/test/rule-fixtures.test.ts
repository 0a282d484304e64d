import { describe, expect, test } from "bun:test";
import { loadSqlParser, prepareSql } from "@ydtb/db-migrate";
import { describeDatabases } from "@ydtb/test-db";
import { LINT_RULES, lintMigrations } from "../src/index.ts";
import { base, ruleFixture, runMigration } from "./fixtures.ts";

describe("every rule has a fixture: the unsafe migration is flagged, its safe rewrite passes", () => {
  for (const rule of LINT_RULES) {
    test(rule.name, async () => {
      const fixture = ruleFixture(rule.name);
      expect(fixture).toBeDefined();
      // The engine runs the unsafe migration without a word: only the lint stands in the way.
      const engineAccepts = prepareSql(await loadSqlParser(), { packageName: "@ydtb/fx", migrationId: "0001_unsafe", file: fixture!.unsafe.file, text: fixture!.unsafe.sql, transaction: fixture!.unsafe.transaction });
      expect(engineAccepts.length).toBeGreaterThan(0);
      const unsafe = await lintMigrations([fixture!.unsafe], { history: [base()] });
      expect(unsafe.findings.map((f) => f.rule)).toEqual([rule.name]);
      const [finding] = unsafe.findings;
      expect(finding).toMatchObject({ severity: "warning", file: fixture!.unsafe.file, package: "@ydtb/fx", migration: "0001_unsafe" });
      expect(finding!.safe.length).toBeGreaterThan(0);
      expect(unsafe.ok).toBe(true);

      const safe = await lintMigrations(fixture!.safe, { history: [base()], strict: true });
      expect(safe.findings).toEqual([]);
      expect(safe.ok).toBe(true);
    });
  }
});

describe("strict", () => {
  test("findings are errors and the report is not ok", async () => {
    const fixture = ruleFixture("dropping-column")!;
    const report = await lintMigrations([fixture.unsafe], { history: [base()], strict: true });
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => [f.rule, f.severity])).toEqual([["dropping-column", "error"]]);
  });
});

// The safe patterns the lint recommends must be SQL PostgreSQL runs: each rewrite applied on
// top of the previous release, on both engines.
describeDatabases("safe rewrites run", (target) => {
  for (const rule of LINT_RULES) {
    test(rule.name, async () => {
      const db = await target.fresh();
      await runMigration(db, base());
      await db.exec(`INSERT INTO "ydtb_fx_owners" VALUES ('w1', 'o1'); INSERT INTO "ydtb_fx_items" ("workspace_id", "id", "title", "body", "owner_id") VALUES ('w1', 'i1', 'first', 'text', 'o1')`);
      for (const migration of ruleFixture(rule.name)!.safe) await runMigration(db, migration);
      const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "ydtb_fx_items"`);
      expect(rows[0]!.n).toBe(1);
    });
  }
});
