import { BatchStatementError, type SqlSession, type TransactionalSession } from "@ydtb/db-client";
import { MigrationFailedError } from "../errors/run-errors.ts";
import { excerpt } from "../sql/source-text.ts";
import type { PreparedStatement } from "../sql/prepare-sql.ts";
import type { PreparedStep } from "./prepare-steps.ts";
import { postgresError } from "@ydtb/db-client";

/**
 * Runs one prepared step on `session` (its transaction, or the locked connection for a
 * non-transactional body), statement by statement — each exactly as the file has it. Records
 * nothing. Throws `MigrationFailedError` naming the package, migration, file, line:column,
 * statement number, an excerpt, and PostgreSQL's code and message, with the driver error as
 * `cause`.
 *
 * @example
 * await conn.transaction((tx) => runMigration(tx, prepared));
 */
export async function runMigration(session: SqlSession, prepared: PreparedStep): Promise<void> {
  const { body } = prepared;
  if (body.kind === "typescript") {
    try {
      await body.run(session.orm);
    } catch (error) {
      throw failure(prepared, undefined, error);
    }
    return;
  }
  // One statement per message: outside a transaction a multi-statement message would be
  // wrapped in an implicit transaction (which CREATE INDEX CONCURRENTLY refuses), and inside
  // one the failing statement is known exactly.
  for (const statement of prepared.statements ?? []) {
    try {
      await session.exec(statement.sql);
    } catch (error) {
      throw failure(prepared, statement, error);
    }
  }
}

/**
 * Runs a transactional SQL step with the statements that must commit with it — `before` (its
 * `SET LOCAL` timeouts) and `after` (its bookkeeping) — in one transaction, sent to a server as
 * ONE message with BEGIN and COMMIT (`transactionBatch`). A failure rolls everything back and
 * is thrown as `runMigration` does, naming the failing statement of the file; a failure of
 * `after` as the recording's, of COMMIT (e.g. a deferred constraint) as COMMIT's.
 *
 * @example
 * await runMigrationBatch(conn, prepared, localTimeoutStatements(policy), [recordMigrationSql(tables, entry)]);
 */
export async function runMigrationBatch(conn: TransactionalSession, prepared: PreparedStep, before: readonly string[], after: readonly string[]): Promise<void> {
  const statements = prepared.statements ?? [];
  try {
    await conn.transactionBatch([...before, ...statements.map((s) => s.sql), ...after]);
  } catch (error) {
    if (!(error instanceof BatchStatementError) || error.index === undefined) throw failure(prepared, undefined, error);
    const i = error.index - before.length;
    if (i >= 0 && i < statements.length) throw failure(prepared, statements[i], error.cause);
    const stage = i < 0 ? "setting its timeouts" : i < statements.length + after.length ? "recording it" : "COMMIT";
    throw failure(prepared, undefined, error.cause, `${stage} failed: `);
  }
}

function failure(prepared: PreparedStep, statement: PreparedStatement | undefined, error: unknown, stage = ""): MigrationFailedError {
  if (error instanceof MigrationFailedError) return error;
  const { step, body } = prepared;
  const pg = postgresError(error);
  return new MigrationFailedError(
    {
      package: step.package,
      id: step.id,
      direction: step.direction,
      ...(body.kind === "sql" ? { file: body.file } : {}),
      ...(statement ? { statement: statement.index, line: statement.line, column: statement.column, excerpt: excerpt(statement.sql) } : {}),
      ...(pg ? { pgCode: pg.code } : {}),
      pgMessage: stage + (pg?.message ?? (error instanceof Error ? error.message : String(error))),
    },
    { cause: error },
  );
}
