import { MigrationFailedError } from "../errors/run-errors.ts";
import type { StepResult } from "../model/run-result.ts";
import type { AppliedState } from "../plan/applied-state.ts";
import type { PreparedStep } from "./prepare-steps.ts";
import { withLockRetries } from "./lock-retries.ts";
import { setLocalTimeouts } from "./lock-wait.ts";
import { runMigration } from "./run-migration.ts";
import { asFailure, policyOf, recordFailed, recordSuccess, stepResult, type RunContext } from "./step-records.ts";

/**
 * Mode "all": the whole plan in one transaction (the caller has refused non-transactional
 * steps). A failure — of a step, or of COMMIT itself — keeps nothing; it is recorded as a
 * failed attempt of the step at fault, and every step is reported skipped but that one. Each
 * step sets its own `lock_timeout` first; a lock timeout rolls the whole plan back and it is
 * tried again as a whole (`withLockRetries`).
 *
 * @example
 * const results = await executeAll(run, prepared, state);
 */
export async function executeAll(run: RunContext, prepared: readonly PreparedStep[], state: AppliedState): Promise<StepResult[]> {
  if (prepared.length === 0) return [];
  const total = prepared.length;
  const timings: number[] = [];
  let failedAt = -1;
  let failure: MigrationFailedError | undefined;
  const policies = prepared.map((p) => policyOf(run, p));
  const eventOf = (index: number) => {
    const p = prepared[Math.max(0, index)]!;
    return { index, total, direction: p.step.direction, package: p.step.package, id: p.step.id };
  };
  // A lock timeout rolls the whole plan back; it is tried again as a whole.
  const attempt = () => {
    failedAt = -1;
    failure = undefined;
    timings.length = 0;
    return run.conn.transaction(async (tx) => {
      for (const [index, p] of prepared.entries()) {
        const event = eventOf(index);
        run.onProgress?.({ ...event, status: "running" });
        const t0 = performance.now();
        try {
          await tx.exec(setLocalTimeouts(policies[index]!));
          await runMigration(tx, p);
          await recordSuccess(tx, run, p, performance.now() - t0);
        } catch (error) {
          // Kept for the result, then rethrown so the whole plan's transaction rolls back.
          failedAt = index;
          timings[index] = performance.now() - t0;
          failure = asFailure(p.step, error);
          run.onProgress?.({ ...event, status: "failed", ms: timings[index] });
          throw failure;
        }
        timings[index] = performance.now() - t0;
        run.onProgress?.({ ...event, status: "applied", ms: timings[index] });
      }
    });
  };
  try {
    await withLockRetries({ policy: policies[0]!, probe: run.probe, onProgress: run.onProgress, current: () => ({ event: eventOf(failedAt), policy: policies[Math.max(0, failedAt)]! }) }, attempt);
  } catch (error) {
    // Every attempt timed out on a lock: the failure now names the blockers.
    if (error instanceof MigrationFailedError && error.failure.lockWait) failure = error;
    // The transaction rolled back. A step's failure was kept above; otherwise COMMIT itself
    // failed (e.g. a deferred constraint): blame the last step, with COMMIT's error as cause.
    if (!failure) {
      failedAt = prepared.length - 1;
      failure = asFailure(prepared[failedAt]!.step, error, "COMMIT");
    }
  }
  if (!failure) {
    for (const p of prepared) state.apply(p.step, p.migration);
    return prepared.map((p, i) => stepResult(p.step, "applied", timings[i] ?? 0));
  }
  const recorded = await recordFailed(run, prepared[failedAt]!, timings[failedAt] ?? 0, failure);
  return prepared.map((p, i) => (i === failedAt ? stepResult(p.step, "failed", timings[i] ?? 0, recorded) : stepResult(p.step, "skipped", 0)));
}
