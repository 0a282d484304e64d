import { afterAll, expect, test } from "bun:test";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SqlSession } from "@ydtb/db-client";
import { describeDatabases } from "@ydtb/test-db";
import { sql } from "drizzle-orm";
import { HISTORY_TABLE, migrate, MigrationFailedError, MigrationLoadError, OrphanMigrationFileError, SqlMigrationError } from "../src/index.ts";
import { coreManifest, folderManifest, removeTempDirs, tempDir, tsManifest, writeFolder } from "./fixtures/fixture-packages.ts";

afterAll(removeTempDirs);

const fixture = (name: string) => readFileSync(join(import.meta.dir, "fixtures/sql", name), "utf8");

async function publicTables(db: SqlSession): Promise<string[]> {
  const rows = await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'fx_%' ORDER BY 1`);
  return rows.map((r) => r.name);
}

async function historyLines(db: SqlSession): Promise<string[]> {
  const rows = await db.query<{ line: string }>(`SELECT migration_id || ' ' || direction || ' ' || success AS line FROM ${HISTORY_TABLE} WHERE package LIKE '@ydtb/fx%' ORDER BY id`);
  return rows.map((r) => r.line);
}

/** The error `promise` rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: Error) => error,
  );
  if (!outcome) throw new Error("expected a rejection, the promise resolved");
  return outcome;
}

describeDatabases("SQL migrations read by PostgreSQL's parser", (target) => {
  test("what runs is the file's statements: CRLF kept in literals and function bodies, BOM removed, E-strings and $tag1$ bodies intact", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [
      { tag: "0000_crlf", up: fixture("crlf.sql") },
      { tag: "0001_bom", up: fixture("bom.sql") },
      { tag: "0002_e", up: fixture("e-string.sql") },
      { tag: "0003_prep", up: "CREATE TYPE fx_sql_mood AS ENUM ('ok');\n--> statement-breakpoint\nCREATE TABLE fx_sql_t (x int);" },
      { tag: "0004_dollar", up: fixture("dollar-digits.sql") },
    ]);
    const result = await migrate(db, [coreManifest, folderManifest("@ydtb/fx-sql", dir)]);
    expect(result.steps.filter((s) => s.package === "@ydtb/fx-sql").map((s) => `${s.id} ${s.status}`)).toEqual(["0000_crlf applied", "0001_bom applied", "0002_e applied", "0003_prep applied", "0004_dollar applied"]);
    expect(result.plan.steps.find((s) => s.id === "0004_dollar")!.transaction).toBe(false);
    expect(await db.query(`SELECT note FROM fx_sql_crlf`)).toEqual([{ note: "line one\r\nline two" }]);
    expect(await db.query(`SELECT prosrc FROM pg_proc WHERE proname = 'fx_sql_crlf_fn'`)).toEqual([{ prosrc: "\r\n  SELECT 'a'\r\n" }]);
    expect(await db.query(`SELECT id, s FROM fx_sql_e ORDER BY id`)).toEqual([
      { id: 1, s: "it's; not -- a split" },
      { id: 2, s: "plain 'quoted'; text" },
      { id: 3, s: "dollar; quoted" },
    ]);
    expect(await db.query(`SELECT fx_sql_fn1() AS one`)).toEqual([{ one: 1 }]);
    expect(await db.query(`SELECT enum_range(NULL::fx_sql_mood)::text AS r`)).toEqual([{ r: "{ok,ecstatic}" }]);
    expect(await publicTables(db)).toEqual(["fx_sql_bom", "fx_sql_crlf", "fx_sql_e", "fx_sql_t"]);
  });

  test("a COMMIT in the plan's second migration is refused before the first one runs", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [
      { tag: "0000_fine", up: "CREATE TABLE fx_sql_fine (id int);" },
      { tag: "0001_commit", up: fixture("commit.sql") },
    ]);
    const e = (await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-sql", dir)]))) as SqlMigrationError;
    expect(e).toBeInstanceOf(SqlMigrationError);
    expect([e.code, e.migrationId, e.statement, e.position.line, e.position.column]).toEqual(["TRANSACTION_CONTROL_IN_MIGRATION", "0001_commit", 2, 3, 1]);
    expect(e.position.file).toEndWith("0001_commit.sql");
    expect(await publicTables(db)).toEqual([]);
    expect(await db.query(`SELECT count(*)::int AS n FROM ${HISTORY_TABLE}`)).toEqual([{ n: 0 }]);
  });

  test("a syntax error is reported at load with file and line, nothing of the plan having run", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [
      { tag: "0000_fine", up: "CREATE TABLE fx_sql_fine (id int);" },
      { tag: "0001_typo", up: "CREATE TABLE fx_sql_typo (id int);\n--> statement-breakpoint\nALTER TABLE fx_sql_typo ADD COLUM x int;" },
    ]);
    const e = (await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-sql", dir)]))) as SqlMigrationError;
    expect([e.code, e.migrationId, e.position.line]).toEqual(["SQL_SYNTAX_ERROR", "0001_typo", 3]);
    expect(await publicTables(db)).toEqual([]);
  });

  test("CREATE INDEX CONCURRENTLY in a transactional migration is refused with the fix; nothing runs", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [{ tag: "0000_idx", up: "CREATE TABLE fx_sql_i (x int);\n--> statement-breakpoint\nCREATE INDEX CONCURRENTLY fx_sql_i_x ON fx_sql_i (x);" }]);
    const e = (await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-sql", dir)]))) as SqlMigrationError;
    expect([e.code, e.statement, e.position.line]).toEqual(["STATEMENT_NEEDS_NO_TRANSACTION", 2, 3]);
    expect(await publicTables(db)).toEqual([]);
  });

  test("a failing statement is named by its true index and line:column", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    // Three statements in one chunk (no breakpoints): the failing one is the third statement.
    writeFolder(dir, [{ tag: "0000_three", up: "CREATE TABLE fx_sql_a (id int);\nCREATE TABLE fx_sql_b (id int);\n  INSERT INTO fx_sql_missing VALUES (1);" }]);
    const e = (await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-sql", dir)]))) as MigrationFailedError;
    expect(e).toBeInstanceOf(MigrationFailedError);
    expect([e.failure.statement, e.failure.line, e.failure.column, e.failure.pgCode, e.failure.excerpt]).toEqual([3, 3, 3, "42P01", "INSERT INTO fx_sql_missing VALUES (1)"]);
    expect(await publicTables(db)).toEqual([]);
  });

  test("an error text with NUL and invalid characters is stored readable in the history", async () => {
    const db = await target.fresh();
    const garbage = tsManifest("@ydtb/fx-garbage", [
      {
        id: "0000_garbage",
        up: async (d) => {
          await d.execute(sql`SELECT 1`);
          throw new Error("bad bytes: \u0000\u0001\uFFFD\uD800 end");
        },
        checksumSource: "g",
      },
    ]);
    const e = (await rejection(migrate(db, [coreManifest, garbage]))) as MigrationFailedError;
    expect(e.code).toBe("MIGRATION_FAILED");
    expect(await historyLines(db)).toEqual(["0000_garbage up false"]);
    const [row] = await db.query<{ error: string }>(`SELECT error FROM ${HISTORY_TABLE} WHERE NOT success`);
    expect(row!.error).toContain("bad bytes: \\u0000\\u0001\\ufffd\\ud800 end");
  });
});

describeDatabases("migration folders checked when loading", (target) => {
  test("a .sql file the journal does not list is refused, naming it and the fix; so is a stray .down.sql", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    const folder = writeFolder(dir, [{ tag: "0000_a", up: "CREATE TABLE fx_sql_orphan_a (id int);" }]);
    writeFileSync(join(folder, "0001_hand_written.sql"), "CREATE TABLE fx_sql_orphan_b (id int);");
    const e = (await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-sql", dir)]))) as OrphanMigrationFileError;
    expect(e).toBeInstanceOf(OrphanMigrationFileError);
    expect([e.code, e.packageName]).toEqual(["ORPHAN_MIGRATION_FILE", "@ydtb/fx-sql"]);
    expect(e.file).toEndWith("0001_hand_written.sql");
    rmSync(join(folder, "0001_hand_written.sql"));
    copyFileSync(join(folder, "0000_a.sql"), join(folder, "0009_gone.down.sql"));
    const down = (await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-sql", dir)]))) as OrphanMigrationFileError;
    expect([down.code, down.file.endsWith("0009_gone.down.sql")]).toEqual(["ORPHAN_MIGRATION_FILE", true]);
    expect(await db.query(`SELECT to_regclass('${HISTORY_TABLE}') IS NULL AS none`)).toEqual([{ none: true }]);
  });

  test("a binary file in place of a migration is refused when loading", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    const folder = writeFolder(dir, [{ tag: "0000_a", up: "" }]);
    writeFileSync(join(folder, "0000_a.sql"), Buffer.from([0x43, 0x52, 0xff, 0xfe, 0x00, 0x01, 0xc3]));
    const e = (await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-sql", dir)]))) as MigrationLoadError;
    expect([e.code, e.file.endsWith("0000_a.sql")]).toEqual(["MIGRATION_LOAD_FAILED", true]);
    writeFileSync(join(folder, "0000_a.sql"), "SELECT 1;\u0000");
    const nul = (await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-sql", dir)]))) as MigrationLoadError;
    expect(nul.code).toBe("MIGRATION_LOAD_FAILED");
  });
});
