import type { SqlSession } from "@ydtb/db-client";
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

function failure(prepared: PreparedStep, statement: PreparedStatement | undefined, error: unknown): MigrationFailedError {
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
      pgMessage: pg?.message ?? (error instanceof Error ? error.message : String(error)),
    },
    { cause: error },
  );
}
