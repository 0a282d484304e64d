import type { MigrationFailedError } from "../errors/run-errors.ts";
import type { StepResult } from "../model/run-result.ts";
import type { AppliedState } from "../plan/applied-state.ts";
import type { PreparedStep } from "./prepare-steps.ts";
import { runMigration } from "./run-migration.ts";
import { asFailure, recordFailed, recordSuccess, stepResult, type RunContext } from "./step-records.ts";

/**
 * Mode "all": the whole plan in one transaction (the caller has refused non-transactional
 * steps). A failure — of a step, or of COMMIT itself — keeps nothing; it is recorded as a
 * failed attempt of the step at fault, and every step is reported skipped but that one.
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
  try {
    await run.conn.transaction(async (tx) => {
      for (const [index, p] of prepared.entries()) {
        const event = { index, total, direction: p.step.direction, package: p.step.package, id: p.step.id };
        run.onProgress?.({ ...event, status: "running" });
        const t0 = performance.now();
        try {
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
  } catch (error) {
    // The transaction rolled back. A step's failure was kept above; otherwise COMMIT itself
    // failed (e.g. a deferred constraint): blame the last step, with COMMIT's error as cause.
    if (!failure) {
      failedAt = prepared.length - 1;
      failure = asFailure(prepared[failedAt]!.step, error);
    }
  }
  if (!failure) {
    for (const p of prepared) state.apply(p.step, p.migration);
    return prepared.map((p, i) => stepResult(p.step, "applied", timings[i] ?? 0));
  }
  const recorded = await recordFailed(run, prepared[failedAt]!, timings[failedAt] ?? 0, failure);
  return prepared.map((p, i) => (i === failedAt ? stepResult(p.step, "failed", timings[i] ?? 0, recorded) : stepResult(p.step, "skipped", 0)));
}
