import type { Connection, SqlSession } from "@ydtb/db-client";
import { MigrationFailedError } from "../errors/run-errors.ts";
import type { HistoryTableNames } from "../history/history-schema.ts";
import { recordFailure, recordMigration, recordMigrationSql } from "../history/record-migration.ts";
import type { LoadedPackage } from "../model/loaded-package.ts";
import type { PlanStep } from "../model/plan-types.ts";
import type { ProgressEvent, StepResult } from "../model/run-result.ts";
import type { PreparedStep } from "./prepare-steps.ts";
import { lockWaitPolicy, type LockWaitPolicy } from "./lock-wait.ts";
import type { BlockerProbe } from "./lock-retries.ts";
import { postgresError } from "@ydtb/db-client";

/** What an executor needs: the locked connection, the tables, who runs it. */
export interface RunContext {
  readonly conn: Connection;
  readonly tables: HistoryTableNames;
  readonly appliedBy: string;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly packages: readonly LoadedPackage[];
  /** The run's lock-wait options (a migration's header and its manifest override `lockTimeoutMs`). */
  readonly lockWait?: Partial<LockWaitPolicy>;
  /** Server only: where to see who blocks a waiting migration. */
  readonly probe?: BlockerProbe;
}

/**
 * The lock-wait policy of a prepared step: its body's header, its package's manifest, the run.
 *
 * @example
 * await tx.exec(setLocalTimeouts(policyOf(run, p)));
 */
export function policyOf(run: RunContext, p: PreparedStep): LockWaitPolicy {
  return lockWaitPolicy(p.body, run.packages.find((x) => x.packageName === p.step.package) ?? {}, run.lockWait);
}

/** The fields a step's result and progress events share. */
export function stepBase(s: PlanStep) {
  return { package: s.package, id: s.id, version: s.version, direction: s.direction, reason: s.reason };
}

/** A step's result (`applied` / `failed` / `skipped`). */
export function stepResult(s: PlanStep, status: StepResult["status"], ms: number, error?: MigrationFailedError): StepResult {
  return { ...stepBase(s), status, ms, ...(error ? { error } : {}) };
}

/** Records a successful step on `session` (the step's own transaction, so they commit together). */
export async function recordSuccess(session: SqlSession, run: RunContext, p: PreparedStep, ms: number): Promise<void> {
  const { step, migration } = p;
  await recordMigration(session, run.tables, { package: step.package, id: step.id, version: migration.version, checksum: migration.checksum, direction: step.direction, ms, appliedBy: run.appliedBy });
}

/** The bookkeeping statement of a successful step, timed by the server, to send with the step itself. */
export function successSql(run: RunContext, p: PreparedStep): string {
  const { step, migration } = p;
  return recordMigrationSql(run.tables, { package: step.package, id: step.id, version: migration.version, checksum: migration.checksum, direction: step.direction, ms: "transaction", appliedBy: run.appliedBy });
}

/**
 * Records a failed attempt on the locked connection, after its transaction rolled back. If
 * that fails too (the connection may be what broke), the returned failure says so: the
 * caller reports both, the migration's first.
 */
export async function recordFailed(run: RunContext, p: PreparedStep, ms: number, failure: MigrationFailedError): Promise<MigrationFailedError> {
  const { step, migration } = p;
  try {
    await recordFailure(run.conn, run.tables, { package: step.package, id: step.id, version: migration.version, checksum: migration.checksum, direction: step.direction, ms, appliedBy: run.appliedBy, error: failure.message });
    return failure;
  } catch (error) {
    const f = failure.failure;
    return new MigrationFailedError(
      { ...f, pgMessage: `${f.pgMessage} (and recording the failed attempt in the history failed too: ${(error as Error).message})` },
      { cause: new AggregateError([failure.cause ?? failure, error], "the migration failed, then recording it failed") },
    );
  }
}

/**
 * A step's error as a `MigrationFailedError` (recording failures included: they fail the step).
 * `stage` names what failed when it was not the migration itself: its recording by default,
 * or COMMIT (mode "all", whose one COMMIT ends every step).
 */
export function asFailure(step: PlanStep, error: unknown, stage: "recording it" | "COMMIT" = "recording it"): MigrationFailedError {
  if (error instanceof MigrationFailedError) return error;
  const pg = postgresError(error);
  return new MigrationFailedError(
    { package: step.package, id: step.id, direction: step.direction, ...(pg ? { pgCode: pg.code } : {}), pgMessage: `${stage} failed: ${pg?.message ?? (error as Error)?.message ?? String(error)}` },
    { cause: error },
  );
}
