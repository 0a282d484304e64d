import type { LoadedMigration, LoadedPackage, MigrationBody } from "../model/loaded-package.ts";
import type { PlanStep } from "../model/plan-types.ts";
import { loadSqlParser, type SqlParser } from "../sql/sql-parser.ts";
import { prepareSql, type PreparedStatement } from "../sql/prepare-sql.ts";

/** A plan step with its migration and, for SQL, its statements as PostgreSQL's parser cut them. */
export interface PreparedStep {
  readonly step: PlanStep;
  readonly migration: LoadedMigration;
  /** The body this step runs (the up, or the down). */
  readonly body: MigrationBody;
  /** SQL bodies only. */
  readonly statements?: readonly PreparedStatement[];
}

/**
 * Finds each step's migration and, for SQL, parses and judges its body (`prepareSql`) — every
 * step before the first one runs, so a syntax error, transaction control or a misplaced
 * non-transactional statement anywhere in the plan stops the run with nothing changed. Loads
 * the parser only when a step has SQL: a plan of nothing never loads it.
 *
 * @example
 * const prepared = await prepareSteps(plan.steps, packages);
 */
export async function prepareSteps(steps: readonly PlanStep[], packages: readonly LoadedPackage[]): Promise<PreparedStep[]> {
  const byName = new Map(packages.map((p) => [p.packageName, p]));
  const prepared: PreparedStep[] = [];
  for (const step of steps) {
    const migration = byName.get(step.package)!.migrations.find((m) => m.id === step.id)!;
    prepared.push(await prepareMigration(migration, step));
  }
  return prepared;
}

/**
 * One migration in one direction, prepared as {@link prepareSteps} does; `step` defaults to a
 * step of that migration and direction (for `checkPackage`, which runs migrations outside a plan).
 *
 * @example
 * await runMigration(tx, await prepareMigration(migration, "down"));
 */
export async function prepareMigration(migration: LoadedMigration, stepOrDirection: PlanStep | "up" | "down"): Promise<PreparedStep> {
  const direction = typeof stepOrDirection === "string" ? stepOrDirection : stepOrDirection.direction;
  const body = direction === "up" ? migration.up : migration.down;
  if (!body) throw new TypeError(`"${migration.package}" migration "${migration.id}" has no down (the planner refuses such a step)`);
  const step: PlanStep =
    typeof stepOrDirection === "string"
      ? { package: migration.package, id: migration.id, version: migration.version, direction, reason: "checked", transaction: body.transaction }
      : stepOrDirection;
  if (body.kind !== "sql") return { step, migration, body };
  const parser: SqlParser = await loadSqlParser();
  const statements = prepareSql(parser, { packageName: migration.package, migrationId: migration.id, file: body.file, text: body.text, transaction: body.transaction });
  return { step, migration, body, statements };
}
