import type { Database } from "@ydtb/db-client";
import { MigrationFailedError } from "../errors/run-errors.ts";
import type { BlockingBackend, MigrationFailure, ProgressEvent } from "../model/run-result.ts";
import { watchBlockers } from "./blocking-backends.ts";
import { LOCK_NOT_AVAILABLE, retryDelayMs, type LockWaitPolicy } from "./lock-wait.ts";
import { postgresError } from "@ydtb/db-client";

/** Where to look for blockers while a migration waits: the pool beside the locked connection, and that connection's backend pid (server only). */
export interface BlockerProbe {
  readonly db: Database;
  readonly pid: number;
}

/** What {@link withLockRetries} needs besides the attempt. */
export interface LockRetryInput {
  /** Retries and backoff (the run's); `lockTimeoutMs` of the step that timed out comes from `current`. */
  readonly policy: LockWaitPolicy;
  readonly probe?: BlockerProbe;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** The step an attempt failed at and its policy: fixed for one migration, the failing one for a whole plan. */
  readonly current: () => { readonly event: Omit<ProgressEvent, "status">; readonly policy: LockWaitPolicy };
}

// Often enough to catch the wait, rarely enough to cost nothing when a migration is quick.
const probeInterval = (lockTimeoutMs: number) => Math.min(1_000, Math.max(50, Math.floor(lockTimeoutMs / 2)));

/**
 * Runs `attempt` (a whole migration transaction, which sets its own `lock_timeout`) and, when it
 * fails because a table lock was not granted in time (55P03) — the transaction is rolled back,
 * so the sessions queued behind it go on — tries again after a backoff, reporting each retry as
 * a `retrying` progress event. After the last attempt it throws the failure with `lockWait`
 * (code `MIGRATION_LOCK_TIMEOUT`) naming the backends that held the lock, as seen from another
 * connection while the attempts waited.
 *
 * @example
 * await withLockRetries({ policy, probe, onProgress, current: () => ({ event, policy }) }, () => conn.transaction(run));
 */
export async function withLockRetries<T>(input: LockRetryInput, attempt: () => Promise<T>): Promise<T> {
  const attempts = input.policy.retries + 1;
  let seen: readonly BlockingBackend[] = [];
  for (let n = 1; ; n++) {
    const watch = input.probe ? watchBlockers(input.probe.db, input.probe.pid, probeInterval(input.policy.lockTimeoutMs)) : undefined;
    let result: T;
    try {
      result = await attempt();
    } catch (error) {
      const blockers = (await watch?.stop()) ?? [];
      if (blockers.length > 0) seen = blockers;
      if (!isLockTimeout(error)) throw error;
      const { event, policy } = input.current();
      if (n >= attempts) throw withLockWait(error, event, { attempts, lockTimeoutMs: policy.lockTimeoutMs, blockers: seen });
      const retryInMs = retryDelayMs(n, input.policy.backoffMs);
      input.onProgress?.({ ...event, status: "retrying", attempt: n, attempts, retryInMs, lockTimeoutMs: policy.lockTimeoutMs, blockers: seen });
      await Bun.sleep(retryInMs);
      continue;
    }
    await watch?.stop();
    return result;
  }
}

/** True when `error` is PostgreSQL's `lock_not_available` (a `lock_timeout` expired), wrapped or not. */
export function isLockTimeout(error: unknown): boolean {
  if (error instanceof MigrationFailedError) return error.failure.pgCode === LOCK_NOT_AVAILABLE;
  return postgresError(error)?.code === LOCK_NOT_AVAILABLE;
}

function withLockWait(error: unknown, event: Omit<ProgressEvent, "status">, lockWait: NonNullable<MigrationFailure["lockWait"]>): MigrationFailedError {
  if (error instanceof MigrationFailedError) return new MigrationFailedError({ ...error.failure, lockWait }, { cause: error.cause ?? error });
  const pg = postgresError(error);
  return new MigrationFailedError(
    { package: event.package, id: event.id, direction: event.direction, pgCode: LOCK_NOT_AVAILABLE, pgMessage: pg?.message ?? String(error), lockWait },
    { cause: error },
  );
}
