import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lintMigrations, lintReleases, type LintMigration } from "../src/index.ts";
import { base } from "./fixtures.ts";

const migration = (id: string, sql: string, transaction = true): LintMigration => ({ package: "@ydtb/fx", id, file: `drizzle/${id}.sql`, sql, transaction });

describe("tables created earlier in the same plan are new and exempt", () => {
  test("every risky statement on a table the plan created is allowed, in the same or a later migration", async () => {
    const report = await lintMigrations(
      [
        migration("0001_new", `CREATE TABLE "ydtb_fx_new" ("workspace_id" varchar(20) NOT NULL, "id" text NOT NULL, "body" text);\n--> statement-breakpoint\nCREATE INDEX "ydtb_fx_new_body_idx" ON "ydtb_fx_new" ("body");`),
        migration(
          "0002_more",
          [
            `ALTER TABLE "ydtb_fx_new" ADD COLUMN "uid" uuid DEFAULT gen_random_uuid() NOT NULL, ADD COLUMN "n" integer NOT NULL;`,
            `ALTER TABLE "ydtb_fx_new" ALTER COLUMN "body" SET NOT NULL, ALTER COLUMN "id" TYPE varchar(40);`,
            `ALTER TABLE "ydtb_fx_new" ADD CONSTRAINT "ydtb_fx_new_fk" FOREIGN KEY ("workspace_id", "id") REFERENCES "ydtb_fx_items" ("workspace_id", "id");`,
            `ALTER TABLE "ydtb_fx_new" ADD CONSTRAINT "ydtb_fx_new_u" UNIQUE ("workspace_id", "uid");`,
            `DROP INDEX "ydtb_fx_new_body_idx";`,
            `ALTER TABLE "ydtb_fx_new" RENAME COLUMN "n" TO "m";`,
            `ALTER TABLE "ydtb_fx_new" DROP COLUMN "m";`,
            `ALTER TABLE "ydtb_fx_new" RENAME TO "ydtb_fx_newer";`,
            `CREATE INDEX "ydtb_fx_newer_idx" ON "ydtb_fx_newer" ("body");`,
            `DROP TABLE "ydtb_fx_newer";`,
          ].join("\n--> statement-breakpoint\n"),
        ),
      ],
      { history: [base()], strict: true },
    );
    expect(report.findings).toEqual([]);
    expect(report.linted).toBe(2);
  });

  test("a table created in the history (a shipped release) is existing", async () => {
    const report = await lintMigrations([migration("0001_idx", `CREATE INDEX "i" ON "ydtb_fx_items" ("title");`)], { history: [base()] });
    expect(report.findings.map((f) => [f.rule, f.table])).toEqual([["creating-index-non-concurrently", "ydtb_fx_items"]]);
  });

  test("a table no migration mentions is treated as existing", async () => {
    const report = await lintMigrations([migration("0001_x", `ALTER TABLE "elsewhere" DROP COLUMN "x";`)]);
    expect(report.findings.map((f) => f.rule)).toEqual(["dropping-column"]);
  });
});

describe("positions", () => {
  test("file, line and column of the statement's first token, statement index from the parser", async () => {
    const sql = `-- a header\r\n/* a block\r\n comment é */\r\nCREATE TABLE "t" ("x" text);\r\n--> statement-breakpoint\r\nINSERT INTO "t" VALUES ('é;é');\r\n--> statement-breakpoint\r\n   ALTER TABLE "ydtb_fx_items"\r\n  DROP COLUMN "legacy";`;
    const report = await lintMigrations([migration("0001_pos", `\uFEFF${sql}`)], { history: [base()] });
    expect(report.findings.map((f) => ({ rule: f.rule, line: f.line, column: f.column, statement: f.statement, file: f.file }))).toEqual([
      { rule: "dropping-column", line: 8, column: 4, statement: 3, file: "drizzle/0001_pos.sql" },
    ]);
    expect(report.findings[0]!.excerpt).toBe(`ALTER TABLE "ydtb_fx_items" DROP COLUMN "legacy"`);
  });

  test("several statements in one chunk (no breakpoints) are told apart", async () => {
    const report = await lintMigrations([migration("0001_two", `SELECT 1; ALTER TABLE "ydtb_fx_items" DROP COLUMN "a";\nALTER TABLE "ydtb_fx_items" DROP COLUMN "b";`)], { history: [base()] });
    expect(report.findings.map((f) => [f.statement, f.line, f.column, f.columnName])).toEqual([
      [2, 1, 11, "a"],
      [3, 2, 1, "b"],
    ]);
  });

  test("a file that does not parse is one parse-error finding with the parser's line", async () => {
    const report = await lintMigrations([migration("0001_bad", `CREATE TABLE "a" ("x" text);\n--> statement-breakpoint\nALTER TABLE "a" ADD COLUMN;`)]);
    expect(report.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([["parse-error", "error", 3]]);
  });
});

describe("exemptions in the file", () => {
  test("with a reason: the finding is moved to exempted with the reason", async () => {
    const sql = `CREATE TABLE "t" ("x" text);\n--> statement-breakpoint\n-- ydtb-lint-ignore dropping-column, creating-index-non-concurrently: unused since 1.3.0\nALTER TABLE "ydtb_fx_items" DROP COLUMN "legacy";`;
    const report = await lintMigrations([migration("0001_ex", sql)], { history: [base()], strict: true });
    expect(report.exempted).toEqual([{ rule: "dropping-column", package: "@ydtb/fx", migration: "0001_ex", file: "drizzle/0001_ex.sql", line: 4, reason: "unused since 1.3.0" }]);
    // The second rule named does not fire on that statement: said so, so stale comments do not pile up.
    expect(report.findings.map((f) => [f.rule, f.line])).toEqual([["unused-exemption", 3]]);
  });

  test("an exemption applies to the statement right below it only", async () => {
    const sql = `-- ydtb-lint-ignore dropping-column: gone since 1.3.0\nALTER TABLE "ydtb_fx_items" DROP COLUMN "legacy";\nALTER TABLE "ydtb_fx_items" DROP COLUMN "body";`;
    const report = await lintMigrations([migration("0001_ex", sql)], { history: [base()] });
    expect(report.findings.map((f) => [f.rule, f.columnName])).toEqual([["dropping-column", "body"]]);
    expect(report.exempted.map((e) => e.line)).toEqual([2]);
  });

  test("without a reason, or naming an unknown rule, it exempts nothing and is reported", async () => {
    const sql = `-- ydtb-lint-ignore dropping-column\nALTER TABLE "ydtb_fx_items" DROP COLUMN "legacy";\n-- ydtb-lint-ignore drop-column: typo in the rule name\nALTER TABLE "ydtb_fx_items" DROP COLUMN "body";`;
    const report = await lintMigrations([migration("0001_ex", sql)], { history: [base()] });
    expect(report.exempted).toEqual([]);
    expect(report.findings.map((f) => [f.rule, f.line])).toEqual([
      ["dropping-column", 2],
      ["invalid-exemption", 1],
      ["dropping-column", 4],
      ["invalid-exemption", 3],
    ]);
  });
});

describe("context from the history", () => {
  test("SET NOT NULL is safe once a CHECK (c IS NOT NULL) was validated in a shipped release", async () => {
    const history = [base(), migration("0001_check", `ALTER TABLE "ydtb_fx_items" ADD CONSTRAINT "c" CHECK ("body" IS NOT NULL) NOT VALID;`), migration("0002_validate", `ALTER TABLE "ydtb_fx_items" VALIDATE CONSTRAINT "c";`)];
    const ok = await lintMigrations([migration("0003_nn", `ALTER TABLE "ydtb_fx_items" ALTER COLUMN "body" SET NOT NULL;`)], { history });
    expect(ok.findings).toEqual([]);
    // Not validated: still a full scan under lock.
    const notValidated = await lintMigrations([migration("0003_nn", `ALTER TABLE "ydtb_fx_items" ALTER COLUMN "body" SET NOT NULL;`)], { history: history.slice(0, 2) });
    expect(notValidated.findings.map((f) => f.rule)).toEqual(["setting-not-null"]);
  });

  test("a CHECK on another column does not count", async () => {
    const history = [base(), migration("0001_check", `ALTER TABLE "ydtb_fx_items" ADD CONSTRAINT "c" CHECK ("owner_id" IS NOT NULL);`)];
    const report = await lintMigrations([migration("0002_nn", `ALTER TABLE "ydtb_fx_items" ALTER COLUMN "body" SET NOT NULL;`)], { history });
    expect(report.findings.map((f) => [f.rule, f.columnName])).toEqual([["setting-not-null", "body"]]);
  });

  test("stable defaults (now(), constants) and nullable columns are instant and pass", async () => {
    const sql = `ALTER TABLE "ydtb_fx_items" ADD COLUMN "a" timestamptz DEFAULT now() NOT NULL, ADD COLUMN "b" boolean DEFAULT false NOT NULL, ADD COLUMN "c" text, ADD COLUMN "d" jsonb DEFAULT '{}'::jsonb;`;
    const report = await lintMigrations([migration("0001_cols", sql)], { history: [base()], strict: true });
    expect(report.findings).toEqual([]);
  });

  test("serial, identity and stored generated columns rewrite the table", async () => {
    const sql = `ALTER TABLE "ydtb_fx_items" ADD COLUMN "a" serial, ADD COLUMN "b" integer GENERATED ALWAYS AS IDENTITY, ADD COLUMN "c" integer GENERATED ALWAYS AS (length("title")) STORED;`;
    const report = await lintMigrations([migration("0001_cols", sql)], { history: [base()] });
    expect(report.findings.map((f) => [f.rule, f.columnName])).toEqual([
      ["adding-volatile-default", "a"],
      ["adding-volatile-default", "b"],
      ["adding-volatile-default", "c"],
    ]);
  });
});

describe("whole-table locks", () => {
  test("VACUUM FULL, CLUSTER, SET TABLESPACE / LOGGED rewrite an existing table; weak LOCK TABLE modes and new tables pass", async () => {
    const sql = [
      `VACUUM FULL "ydtb_fx_items";`,
      `VACUUM "ydtb_fx_items";`,
      `CLUSTER "ydtb_fx_items" USING "ydtb_fx_items_created_idx";`,
      `ALTER TABLE "ydtb_fx_items" SET UNLOGGED;`,
      `LOCK TABLE "ydtb_fx_items" IN ROW EXCLUSIVE MODE;`,
      `LOCK TABLE "ydtb_fx_items" IN SHARE MODE;`,
      `CREATE TABLE "t" ("x" text);`,
      `LOCK TABLE "t" IN ACCESS EXCLUSIVE MODE;`,
      `REINDEX TABLE "t";`,
    ].join("\n");
    const report = await lintMigrations([migration("0001_locks", sql, false)], { history: [base()] });
    expect(report.findings.map((f) => [f.rule, f.line])).toEqual([
      ["rewriting-table", 1],
      ["rewriting-table", 3],
      ["rewriting-table", 4],
      ["locking-table", 6],
    ]);
  });
});

describe("lintReleases", () => {
  const basic = join(import.meta.dir, "../../basic");
  const read = (id: string) => readFileSync(join(basic, "drizzle", `${id}.sql`), "utf8");
  const versions = JSON.parse(readFileSync(join(basic, "migrations.versions.json"), "utf8")) as Record<string, string[]>;
  const migrations = Object.entries(versions).flatMap(([version, ids]) => ids.map((id) => ({ ...migration(id, read(id)), package: "@ydtb/basic", version })));

  test("each release is its own plan: @ydtb/basic 1.1.0 indexes a table 1.0.0 created", async () => {
    const all = await lintReleases([{ package: "@ydtb/basic", migrations }], { scope: "all" });
    expect(all.findings.map((f) => [f.migration, f.rule, f.table])).toEqual([["0001_pinned", "creating-index-non-concurrently", "ydtb_basic_notes"]]);
    expect(all.linted).toBe(migrations.length);
  });

  test("by default only what no release holds yet is linted", async () => {
    const released = await lintReleases([{ package: "@ydtb/basic", migrations }]);
    expect(released.linted).toBe(0);
    const next = await lintReleases([{ package: "@ydtb/basic", migrations: [...migrations, { ...migration("0002_drop", `ALTER TABLE "ydtb_basic_notes" DROP COLUMN "body";`), version: null }] }]);
    expect(next.findings.map((f) => [f.migration, f.rule])).toEqual([["0002_drop", "dropping-column"]]);
    expect(next.linted).toBe(1);
  });
});

describe("the parser is loaded on demand", () => {
  // The app imports this package on every boot (command line, watcher): importing it must not
  // load the WebAssembly parser (~200 ms, ~30 MB). A fresh process, so no other test loaded it.
  test("importing the package does not load it; parseStatements asks for loadParser first", async () => {
    const script = `const lint = await import(${JSON.stringify(join(import.meta.dir, "../src/index.ts"))});
      let before; try { lint.parseStatements("SELECT 1"); before = "parsed"; } catch (e) { before = e.constructor.name; }
      await lint.loadParser();
      console.log(JSON.stringify({ before, after: lint.parseStatements("SELECT 1").statements.length }));`;
    const proc = Bun.spawn(["bun", "-e", script], { stdout: "pipe", stderr: "pipe" });
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ before: "TypeError", after: 1 });
  });
});
