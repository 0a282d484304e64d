import { SqlMigrationError, type SqlRefusalKind } from "../errors/load-errors.ts";
import { syntaxErrorOf, type SqlParser } from "./sql-parser.ts";
import { excerpt, SourceText } from "./source-text.ts";
import { isIdempotent, outsideTransactionOnly, statementKind, transactionControl, type StatementNode } from "./statement-rules.ts";
import { NO_TRANSACTION_MARKER } from "./no-transaction-marker.ts";
import { quickBounds, scannedBounds } from "./statement-bounds.ts";

/** One statement of a SQL migration, as PostgreSQL's parser cut it. */
export interface PreparedStatement {
  /** 1-based position in the file. */
  readonly index: number;
  /** Parse-tree node type, e.g. `CreateStmt`. */
  readonly kind: string;
  /** Exactly the file's text from the statement's first token to its last (comments inside kept, CRLF kept). */
  readonly sql: string;
  readonly line: number;
  readonly column: number;
}

/** What {@link prepareSql} judges. */
export interface SqlSource {
  readonly packageName: string;
  readonly migrationId: string;
  readonly file: string;
  /** The file's text, leading BOM removed. */
  readonly text: string;
  /** False for a `-- ydtb:no-transaction` file. */
  readonly transaction: boolean;
}

/**
 * Cuts a SQL migration into statements with PostgreSQL's parser and refuses, naming file,
 * line:column and statement: a syntax error (with the parser's message); transaction control
 * (BEGIN, COMMIT, SAVEPOINT, …: the engine owns the transaction); in a transactional file a
 * statement that cannot run in a transaction block; in a `-- ydtb:no-transaction` file a
 * statement that is not idempotent. Throws `SqlMigrationError`.
 *
 * @example
 * const parser = await loadSqlParser();
 * prepareSql(parser, { packageName: "@ydtb/basic", migrationId: "0000_notes", file, text, transaction: true })
 *   .map((s) => `${s.line}:${s.column} ${s.kind}`)
 */
export function prepareSql(parser: SqlParser, source: SqlSource): PreparedStatement[] {
  const src = new SourceText(source.text);
  const refuse = (kind: SqlRefusalKind, byteOffset: number, statement: number, text: string, reason: string, fix: string, cause?: unknown): never => {
    const { line, column } = src.position(byteOffset);
    throw new SqlMigrationError(kind, source.packageName, source.migrationId, { file: source.file, line, column }, statement, excerpt(text), reason, fix, cause === undefined ? undefined : { cause });
  };

  // libpg-query refuses an empty string; an empty (or blank) migration has no statements.
  if (source.text.trim() === "") return [];
  let parsed: ReturnType<SqlParser["parseSync"]>;
  try {
    parsed = parser.parseSync(source.text);
  } catch (error) {
    const syntax = syntaxErrorOf(error);
    if (!syntax) throw error;
    const byteOffset = new TextEncoder().encode(source.text.slice(0, syntax.offset)).length;
    const lineText = source.text.slice(source.text.lastIndexOf("\n", syntax.offset - 1) + 1).split(/\r?\n/, 1)[0] ?? "";
    return refuse("syntax-error", byteOffset, 0, lineText, `PostgreSQL cannot parse it: ${syntax.message}`, "Fix the SQL (try it in psql); nothing was run.", error);
  }
  const spans = (parsed.stmts ?? []).map((raw) => {
    const from = raw.stmt_location ?? 0;
    return { node: (raw.stmt ?? {}) as StatementNode, from, to: raw.stmt_len ? from + raw.stmt_len : src.bytes.length };
  });
  // Most files need no scanner: comments only between statements (quickBounds). The scanner,
  // three times the parser's cost, runs for a file where a comment or `--` sits inside one.
  const quick = spans.map((s) => quickBounds(src.bytes, s.from, s.to));
  const bounds = quick.every((b) => b !== undefined) ? quick : scannedBounds(parser, source.text, spans);

  return spans.map(({ node }, i) => {
    const { start, end } = bounds[i]!;
    const sql = src.slice(start, end);
    const index = i + 1;
    const control = transactionControl(node);
    if (control) {
      refuse(
        "transaction-control",
        start,
        index,
        sql,
        `${control} controls the transaction, which the engine owns: each migration runs in its own transaction (or, with "${NO_TRANSACTION_MARKER}", each statement on its own), and its history row commits with it. A ${control} here would commit part of it unrecorded.`,
        `Remove the ${control} statement. For statements that cannot run in a transaction block, put them in their own migration whose first line is "${NO_TRANSACTION_MARKER}".`,
      );
    }
    const outside = outsideTransactionOnly(node);
    if (outside && source.transaction) {
      refuse(
        "needs-no-transaction",
        start,
        index,
        sql,
        `${outside} cannot run inside a transaction block, and this migration runs in one.`,
        `Move it to a migration of its own whose first line is "${NO_TRANSACTION_MARKER}" (\`drizzle-kit generate --custom\`), written to be idempotent (e.g. CREATE INDEX CONCURRENTLY IF NOT EXISTS).`,
      );
    }
    if (!source.transaction && !isIdempotent(node)) {
      refuse(
        "not-idempotent",
        start,
        index,
        sql,
        `this migration runs outside a transaction ("${NO_TRANSACTION_MARKER}"), so a crash half-way leaves it partly applied and it runs again from its first statement; this ${statementKind(node)} is not safe to run twice.`,
        `Write it so a second run is harmless (IF NOT EXISTS, IF EXISTS, ADD VALUE IF NOT EXISTS, OR REPLACE), move it to a transactional migration, or remove the "${NO_TRANSACTION_MARKER}" line.`,
      );
    }
    const { line, column } = src.position(start);
    return { index, kind: statementKind(node), sql, line, column };
  });
}

