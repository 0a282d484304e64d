import type { SqlSession } from "@ydtb/db-client";
import { MigrationFailedError } from "./errors.ts";
import type { LoadedMigration, MigrationBody } from "./loaded-package.ts";
import { excerpt, splitStatements } from "./sql-statements.ts";

/**
 * Runs one direction of a migration on `session` (a transaction, or the locked connection for
 * a non-transactional one), statement by statement. Does not record anything.
 * Throws `MigrationFailedError` naming the package, migration, file, statement number, an
 * excerpt of the statement, and PostgreSQL's code and message, with the driver error as `cause`.
 *
 * @example
 * await conn.transaction((tx) => runMigration(tx, migration, "up"));
 */
export async function runMigration(session: SqlSession, migration: LoadedMigration, direction: "up" | "down"): Promise<void> {
  const body: MigrationBody | undefined = direction === "up" ? migration.up : migration.down;
  if (!body) {
    throw new MigrationFailedError({ package: migration.package, id: migration.id, direction, pgMessage: "the migration has no down; it cannot be undone" });
  }
  if (body.kind === "typescript") {
    try {
      await body.run(session.orm);
    } catch (error) {
      throw failure(migration, direction, undefined, undefined, undefined, error);
    }
    return;
  }
  for (const [i, chunk] of body.statements.entries()) {
    // Outside a transaction each statement goes alone: a multi-statement message would be
    // wrapped in an implicit transaction, which CREATE INDEX CONCURRENTLY refuses.
    const parts = body.transaction ? [chunk] : splitStatements(chunk);
    for (const part of parts) {
      try {
        await session.exec(part);
      } catch (error) {
        throw failure(migration, direction, body.file, i + 1, part, error);
      }
    }
  }
}

function failure(m: LoadedMigration, direction: "up" | "down", file: string | undefined, statement: number | undefined, text: string | undefined, error: unknown): MigrationFailedError {
  if (error instanceof MigrationFailedError) return error;
  const pg = postgresError(error);
  return new MigrationFailedError(
    {
      package: m.package,
      id: m.id,
      direction,
      ...(file ? { file } : {}),
      ...(statement !== undefined ? { statement } : {}),
      ...(text ? { excerpt: excerpt(text) } : {}),
      ...(pg ? { pgCode: pg.code } : {}),
      pgMessage: pg?.message ?? (error instanceof Error ? error.message : String(error)),
    },
    { cause: error },
  );
}

/**
 * The PostgreSQL error inside `error`: drivers put the SQLSTATE on `code`, and Drizzle wraps
 * them ("Failed query: …") with the driver error as `cause`.
 */
export function postgresError(error: unknown): { code: string; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return { code, message: (current as Error).message };
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
