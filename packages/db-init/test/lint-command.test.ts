import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createPgliteDataDir, describeDatabases } from "@ydtb/test-db";
import type { LintReport } from "@ydtb/db-lint";
import { runCli } from "../src/index.ts";
import { captureIO, copyWorkspace, removeWorkspace, repoRoot } from "./helpers.ts";

const roots: string[] = [];
const dataDirs: string[] = [];
afterAll(() => {
  roots.forEach(removeWorkspace);
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

/** A workspace copy whose @ydtb/basic has one more, unreleased migration with `sql`, fingerprinted as `db:generate` leaves it. */
async function withUnreleasedMigration(sql: string): Promise<string> {
  const root = copyWorkspace({ packages: ["db-core", "basic"] });
  roots.push(root);
  const folder = join(root, "packages", "basic", "drizzle");
  writeFileSync(join(folder, "0003_next.sql"), sql);
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as { entries: object[] };
  journal.entries.push({ idx: 3, version: "7", when: Date.now(), tag: "0003_next", breakpoints: true });
  writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify(journal, null, 2));
  expect(await runCli(["fingerprint", "--package", "@ydtb/basic", "--root", root], captureIO().io)).toBe(0);
  return root;
}

describe("ydtb-db lint", () => {
  test("--all lints every release as its own plan: @ydtb/basic 1.1.0 indexes a 1.0.0 table without CONCURRENTLY", async () => {
    const c = captureIO();
    expect(await runCli(["lint", "--all", "--json", "--root", repoRoot], c.io)).toBe(0);
    const report = c.json<LintReport>();
    expect(report.findings.map((f) => [f.rule, f.severity, f.package, f.file, f.line])).toEqual([
      ["creating-index-non-concurrently", "warning", "@ydtb/basic", "packages/basic/drizzle/0001_pinned.sql", 2],
    ]);
    expect(await runCli(["lint", "--all", "--strict", "--root", repoRoot], captureIO().io)).toBe(1);
  });

  test("by default only unreleased migrations are linted (in the repository: core's and basic's policy migrations, which lint clean)", async () => {
    const c = captureIO();
    expect(await runCli(["lint", "--json", "--root", repoRoot], c.io)).toBe(0);
    expect(c.json<LintReport>()).toMatchObject({ ok: true, linted: 2, findings: [] });
  });

  test("an unreleased risky migration: a warning, an error with --strict; validate lints it too; a reasoned exemption clears it", async () => {
    const root = await withUnreleasedMigration(`ALTER TABLE "ydtb_basic_notes" DROP COLUMN "body";`);
    const lint = captureIO();
    expect(await runCli(["lint", "--json", "--root", root], lint.io)).toBe(0);
    expect(lint.json<LintReport>().findings.map((f) => [f.rule, f.migration, f.file, f.line])).toEqual([["dropping-column", "0003_next", "packages/basic/drizzle/0003_next.sql", 1]]);
    expect(await runCli(["lint", "--strict", "--package", "@ydtb/basic", "--root", root], captureIO().io)).toBe(1);

    const validate = captureIO();
    expect(await runCli(["validate", "--json", "--root", root], validate.io)).toBe(0);
    expect(validate.json<{ lint: LintReport }>().lint.findings.map((f) => f.rule)).toEqual(["dropping-column"]);
    const strict = captureIO();
    expect(await runCli(["validate", "--strict", "--root", root], strict.io)).toBe(1);
    expect(strict.out.join("\n")).toContain("packages/basic/drizzle/0003_next.sql:1:1");

    writeFileSync(join(root, "packages/basic/drizzle/0003_next.sql"), `-- ydtb-lint-ignore dropping-column: unused since 1.1.0\nALTER TABLE "ydtb_basic_notes" DROP COLUMN "body";`);
    const exempted = captureIO();
    expect(await runCli(["lint", "--strict", "--json", "--root", root], exempted.io)).toBe(0);
    expect(exempted.json<LintReport>().exempted.map((e) => [e.rule, e.reason])).toEqual([["dropping-column", "unused since 1.1.0"]]);
  });

  test("rules lists the lint rules; --strict and --all are refused where they mean nothing", async () => {
    const r = captureIO();
    expect(await runCli(["rules", "--json"], r.io)).toBe(0);
    expect(r.json<{ rules: { name: string; kind?: string }[] }>().rules.filter((x) => x.kind === "lint").map((x) => x.name)).toContain("setting-not-null");
    expect(await runCli(["migrate", "--strict"], captureIO().io)).toBe(2);
    expect(await runCli(["validate", "--all"], captureIO().io)).toBe(2);
  });
});

describeDatabases("ydtb-db lint --pending", (target) => {
  test("lints what migrate would run on this database: tables the plan creates are new, tables already there are not", async () => {
    const root = await withUnreleasedMigration(
      `CREATE TABLE "ydtb_basic_archive" ("workspace_id" varchar(20) NOT NULL, "id" text NOT NULL);\n--> statement-breakpoint\n` +
        `CREATE INDEX "ydtb_basic_archive_idx" ON "ydtb_basic_archive" ("workspace_id");\n--> statement-breakpoint\n` +
        `ALTER TABLE "ydtb_basic_notes" DROP COLUMN "body";`,
    );
    const db = await target.fresh();
    let args: string[];
    if (target.kind === "postgres") {
      await db.close();
      args = ["--database-url", (db as unknown as { url: string }).url];
    } else {
      const dir = await createPgliteDataDir("ydtb-lint-");
      dataDirs.push(dir);
      args = ["--data-dir", dir];
    }
    const lint = async () => {
      const c = captureIO();
      const code = await runCli(["lint", "--pending", "--json", "--root", root, ...args], c.io);
      return { code, report: c.json<LintReport>() };
    };

    // Nothing applied: the whole history is one plan, so every table is new.
    const fresh = await lint();
    expect(fresh.code).toBe(0);
    expect(fresh.report.findings).toEqual([]);
    expect(fresh.report.linted).toBe(7);

    // Migrated as the repository ships it: only 0003_next is pending, and ydtb_basic_notes exists.
    expect(await runCli(["migrate", "--json", "--root", repoRoot, ...args], captureIO().io)).toBe(0);
    const next = await lint();
    expect(next.report.linted).toBe(1);
    expect(next.report.findings.map((f) => [f.rule, f.migration, f.line])).toEqual([["dropping-column", "0003_next", 5]]);
  });
});
