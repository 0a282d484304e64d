import type { AppliedState } from "../plan/applied-state.ts";
import type { StepResult } from "../model/run-result.ts";
import type { PreparedStep } from "./prepare-steps.ts";
import { runMigration, runMigrationBatch } from "./run-migration.ts";
import { withLockRetries } from "./lock-retries.ts";
import { localTimeoutStatements, setLocalTimeouts } from "./lock-wait.ts";
import { asFailure, policyOf, recordFailed, recordSuccess, stepBase, stepResult, successSql, type RunContext } from "./step-records.ts";

/**
 * Mode "per-migration": each step in its own transaction with its history row (a
 * non-transactional step statement by statement, then its row). A transactional step runs
 * under `SET LOCAL lock_timeout` (and `statement_timeout`, see `lockWaitPolicy`) and is retried
 * when a lock wait times out (`withLockRetries`). The first failure is rolled back, recorded as
 * a failed attempt, and the steps after it are skipped.
 *
 * @example
 * const results = await executePerMigration(run, prepared, state);
 */
export async function executePerMigration(run: RunContext, prepared: readonly PreparedStep[], state: AppliedState): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const total = prepared.length;
  let stopped = false;
  for (const [index, p] of prepared.entries()) {
    const event = { index, total, direction: p.step.direction, package: p.step.package, id: p.step.id };
    if (stopped) {
      results.push(stepResult(p.step, "skipped", 0));
      run.onProgress?.({ ...event, status: "skipped" });
      continue;
    }
    run.onProgress?.({ ...event, status: "running" });
    const t0 = performance.now();
    try {
      if (p.step.transaction) {
        // Bounded lock waits: a statement that cannot get its table lock in time gives up, the
        // transaction rolls back (so queries queued behind it go on), and it is tried again.
        const policy = policyOf(run, p);
        await withLockRetries({ policy, probe: run.probe, onProgress: run.onProgress, current: () => ({ event, policy }) }, () =>
          p.body.kind === "sql"
            ? // One message on a server: BEGIN, timeouts, the file's statements, bookkeeping, COMMIT.
              runMigrationBatch(run.conn, p, localTimeoutStatements(policy), [successSql(run, p)])
            : run.conn.transaction(async (tx) => {
                await tx.exec(setLocalTimeouts(policy));
                await runMigration(tx, p);
                await recordSuccess(tx, run, p, performance.now() - t0);
              }),
        );
      } else {
        await runMigration(run.conn, p);
        await recordSuccess(run.conn, run, p, performance.now() - t0);
      }
    } catch (error) {
      // Handled: the step is reported failed (its error kept, cause included), recorded as a
      // failed attempt, and the run stops; migrate() then throws it with the result attached.
      const ms = performance.now() - t0;
      const failure = await recordFailed(run, p, ms, asFailure(p.step, error));
      results.push({ ...stepBase(p.step), status: "failed", ms, error: failure });
      run.onProgress?.({ ...event, status: "failed", ms });
      stopped = true;
      continue;
    }
    const ms = performance.now() - t0;
    state.apply(p.step, p.migration);
    results.push(stepResult(p.step, "applied", ms));
    run.onProgress?.({ ...event, status: "applied", ms });
  }
  return results;
}
