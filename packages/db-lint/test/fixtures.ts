import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SqlSession, TransactionalSession } from "@ydtb/db-client";
import { loadSqlParser, prepareSql } from "@ydtb/db-migrate";
import type { LintMigration } from "../src/index.ts";

/** The fixture folder: `base.sql` (the previous release) and one folder per rule. */
export const FIXTURES = join(import.meta.dir, "fixtures");

const NO_TRANSACTION = /^-- ydtb:no-transaction\s*$/m;

/** A fixture file as a migration of the test package. */
export function fixtureMigration(path: string, id: string): LintMigration {
  const sql = readFileSync(join(FIXTURES, path), "utf8");
  return { package: "@ydtb/fx", id, file: path, sql, transaction: !NO_TRANSACTION.test(sql.split("\n", 1)[0] ?? "") };
}

/** The previous release every fixture builds on. */
export const base = (): LintMigration => fixtureMigration("base.sql", "0000_base");

/** A rule's unsafe migration and its safe rewrite (one or more migrations, in order). */
export function ruleFixture(rule: string): { readonly unsafe: LintMigration; readonly safe: readonly LintMigration[] } | undefined {
  if (!existsSync(join(FIXTURES, rule))) return undefined;
  const safe = readdirSync(join(FIXTURES, rule))
    .filter((f) => /^safe-\d+\.sql$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]))
    .map((f, i) => fixtureMigration(join(rule, f), `000${i + 1}_safe`));
  return { unsafe: fixtureMigration(join(rule, "unsafe.sql"), "0001_unsafe"), safe };
}

/**
 * Runs a migration as the engine does: its statements as the engine's `prepareSql` cuts and
 * judges them (so a safe rewrite the engine would refuse — transaction control, a statement
 * that cannot run in a transaction, a non-idempotent no-transaction statement — fails here
 * too), in one transaction unless it is a `-- ydtb:no-transaction` migration.
 */
export async function runMigration(db: TransactionalSession, migration: LintMigration): Promise<void> {
  const statements = prepareSql(await loadSqlParser(), { packageName: migration.package, migrationId: migration.id, file: migration.file, text: migration.sql, transaction: migration.transaction });
  const run = async (session: SqlSession) => {
    for (const statement of statements) await session.exec(statement.sql);
  };
  if (migration.transaction) await db.transaction(run);
  else await run(db);
}
