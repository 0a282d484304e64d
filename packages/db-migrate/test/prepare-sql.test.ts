import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isNoTransaction, loadSqlParser, MAX_STORED_ERROR_LENGTH, prepareSql, SqlMigrationError, storableText, withoutBom, type SqlParser } from "../src/index.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dir, "fixtures/sql", name), "utf8");
let parser: SqlParser;
beforeAll(async () => {
  parser = await loadSqlParser();
});

const prepare = (text: string, transaction = true) => prepareSql(parser, { packageName: "@ydtb/fx", migrationId: "0000_x", file: "/fx/0000_x.sql", text: withoutBom(text), transaction: transaction && !isNoTransaction(text) });

/** The error `fn` throws; fails the test when it throws nothing. */
function caught(fn: () => unknown): SqlMigrationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SqlMigrationError);
    return error as SqlMigrationError;
  }
  throw new Error("expected a SqlMigrationError, nothing was thrown");
}

describe("prepareSql (PostgreSQL's parser)", () => {
  test("dollar-quote tags with digits, ADD VALUE IF NOT EXISTS and CONCURRENTLY IF NOT EXISTS make a valid no-transaction file", () => {
    const statements = prepare(fixture("dollar-digits.sql"));
    expect(statements.map((s) => [s.index, s.kind, s.line, s.column])).toEqual([
      [1, "CreateFunctionStmt", 2, 1],
      [2, "AlterEnumStmt", 9, 1],
      [3, "IndexStmt", 11, 1],
    ]);
    expect(statements[0]!.sql).toEndWith("$fn1$");
    expect(statements[0]!.sql).toContain("-- a ; inside the body, and a $$ too");
  });

  test("E-strings, doubled quotes and dollar quotes holding ; are one statement each", () => {
    const statements = prepare(fixture("e-string.sql"));
    expect(statements.map((s) => s.sql)).toEqual([
      "CREATE TABLE fx_sql_e (id int, s text)",
      "INSERT INTO fx_sql_e VALUES (1, E'it\\'s; not -- a split'), (2, 'plain ''quoted''; text')",
      "INSERT INTO fx_sql_e VALUES (3, $q$dollar; quoted$q$)",
    ]);
  });

  test("CRLF is kept in what runs; positions count lines", () => {
    const statements = prepare(fixture("crlf.sql"));
    expect(statements[1]!.sql).toBe("INSERT INTO fx_sql_crlf VALUES (1, 'line one\r\nline two')");
    expect(statements[2]!.sql).toContain("$body$\r\n  SELECT 'a'\r\n$body$");
    expect(statements.map((s) => `${s.line}:${s.column}`)).toEqual(["1:1", "3:1", "6:1"]);
  });

  test("a leading BOM is removed and nothing else", () => {
    const text = fixture("bom.sql");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(prepare(text).map((s) => s.sql)).toEqual(["CREATE TABLE fx_sql_bom (id int)"]);
  });

  test("multi-byte characters before a statement do not shift its column", () => {
    const [, second] = prepare("SELECT 'ééé'; SELECT 2");
    expect([second!.line, second!.column, second!.sql]).toEqual([1, 15, "SELECT 2"]);
  });

  test("COMMIT is refused with file, line:column, statement index and the fix", () => {
    const e = caught(() => prepare(fixture("commit.sql")));
    expect([e.code, e.kind, e.statement, e.position.line, e.position.column, e.excerpt]).toEqual(["TRANSACTION_CONTROL_IN_MIGRATION", "transaction-control", 2, 3, 1, "COMMIT"]);
    expect(e.position.file).toBe("/fx/0000_x.sql");
  });

  test("every form of transaction control is refused, in either kind of migration", () => {
    const forms = ["BEGIN", "START TRANSACTION", "COMMIT", "END", "ROLLBACK", "SAVEPOINT a", "RELEASE SAVEPOINT a", "ROLLBACK TO SAVEPOINT a", "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'", "ABORT"];
    for (const form of forms) {
      expect(caught(() => prepare(`SELECT 1;\n${form};`)).code).toBe("TRANSACTION_CONTROL_IN_MIGRATION");
      expect(caught(() => prepare(`-- ydtb:no-transaction\nDROP TABLE IF EXISTS a;\n${form};`)).code).toBe("TRANSACTION_CONTROL_IN_MIGRATION");
    }
  });

  test("statements that cannot run in a transaction block are refused in a transactional migration", () => {
    const outside = [
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x)",
      "DROP INDEX CONCURRENTLY IF EXISTS i",
      "REINDEX INDEX CONCURRENTLY i",
      "VACUUM t",
      "ALTER SYSTEM SET work_mem = '4MB'",
      "CREATE DATABASE d",
      "DROP DATABASE IF EXISTS d",
      "ALTER TABLE t DETACH PARTITION p CONCURRENTLY",
    ];
    for (const statement of outside) {
      const e = caught(() => prepare(`CREATE TABLE a (id int);\n${statement};`));
      expect([statement, e.code, e.statement, e.position.line]).toEqual([statement, "STATEMENT_NEEDS_NO_TRANSACTION", 2, 2]);
    }
    expect(prepare("CREATE INDEX i ON t (x); REINDEX INDEX i; ANALYZE t; ALTER TYPE m ADD VALUE 'x'").length).toBe(4);
  });

  test("in a no-transaction migration every statement must be idempotent, judged from the parse tree", () => {
    const yes = [
      "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x)",
      "CREATE TABLE IF NOT EXISTS t (id int)",
      "ALTER TABLE t ADD COLUMN IF NOT EXISTS c text, DROP COLUMN IF EXISTS d, ALTER COLUMN e SET DEFAULT 1",
      "DROP TABLE IF EXISTS t CASCADE",
      "CREATE OR REPLACE VIEW v AS SELECT 1",
      "ALTER TYPE m ADD VALUE IF NOT EXISTS 'x'",
      "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $f2$ SELECT 1 $f2$",
      "VACUUM t",
      "REINDEX INDEX CONCURRENTLY i",
      "CREATE SCHEMA IF NOT EXISTS s",
      "CREATE EXTENSION IF NOT EXISTS pgcrypto",
    ];
    const no = [
      "CREATE INDEX CONCURRENTLY i ON t (x)",
      "ALTER TABLE t ADD COLUMN c text",
      "ALTER TABLE t ADD COLUMN IF NOT EXISTS c text, ADD COLUMN d text",
      "INSERT INTO t VALUES (1)",
      "DROP TABLE t",
      "ALTER TYPE m ADD VALUE 'x'",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
      "DO $do$ BEGIN PERFORM 1; END $do$",
      "CREATE DATABASE d",
    ];
    expect(yes.filter((s) => prepare(`-- ydtb:no-transaction\n${s};`).length !== 1)).toEqual([]);
    for (const s of no) {
      const e = caught(() => prepare(`-- ydtb:no-transaction\nCREATE TABLE IF NOT EXISTS a (id int);\n${s};`));
      expect([s, e.code, e.statement, e.position.line]).toEqual([s, "NON_IDEMPOTENT_STATEMENT", 2, 3]);
    }
  });

  test("a syntax error names the line and column and keeps the parser's message", () => {
    const e = caught(() => prepare("CREATE TABLE a (id int);\n--> statement-breakpoint\nCREATE TABL b (id int);"));
    expect([e.code, e.kind, e.position.line, e.position.column]).toEqual(["SQL_SYNTAX_ERROR", "syntax-error", 3, 8]);
    expect(e.reason).toContain('syntax error at or near "TABL"');
    expect(e.cause).toBeInstanceOf(Error);
  });

  test("an empty or comment-only file has no statements", () => {
    expect(prepare("")).toEqual([]);
    expect(prepare("-- nothing here\n/* really */\n")).toEqual([]);
  });

  test("the no-transaction marker: first line only, case and surrounding spaces ignored, after a BOM", () => {
    const cases = ["-- ydtb:no-transaction\nX", "  -- YDTB:No-Transaction  \r\nX", "\uFEFF-- ydtb:no-transaction\nX", "SELECT 1;\n-- ydtb:no-transaction", "-- ydtb:no-transactions\nX"];
    expect(cases.map(isNoTransaction)).toEqual([true, true, true, false, false]);
  });
});

describe("storableText", () => {
  test("escapes NUL, control characters, U+FFFD and lone surrogates, keeps line breaks and tabs, and cuts long text", () => {
    expect(storableText("a\u0000b\u0007c\tok\r\n\uFFFD\uD800é")).toBe("a\\u0000b\\u0007c\tok\r\n\\ufffd\\ud800é");
    const long = storableText("x".repeat(MAX_STORED_ERROR_LENGTH + 50));
    expect([long.length, long.endsWith("…")]).toEqual([MAX_STORED_ERROR_LENGTH + 1, true]);
    expect(storableText("short")).toBe("short");
  });
});

