/**
 * How long one statement of a migration may wait for a table lock (`SET LOCAL lock_timeout`),
 * in ms. Short, because every query on that table queues behind the waiting migration.
 */
export const DEFAULT_MIGRATION_LOCK_TIMEOUT_MS = 5_000;

/** How many times a migration that timed out on a lock is tried again. */
export const DEFAULT_LOCK_RETRIES = 3;

/** First pause before a retry, in ms; it doubles with every retry. */
export const DEFAULT_LOCK_RETRY_BACKOFF_MS = 1_000;

/** `statement_timeout` of a migration's statements in ms; 0 (default) = none. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 0;

/** PostgreSQL's SQLSTATE for `lock_not_available` (a lock_timeout expired). */
export const LOCK_NOT_AVAILABLE = "55P03";

/** How migrations wait for locks: resolved from the command line, the manifest and the migration's header. */
export interface LockWaitPolicy {
  /** `lock_timeout` per statement, ms. */
  readonly lockTimeoutMs: number;
  /** Retries after a lock timeout before failing. */
  readonly retries: number;
  /** Pause before the first retry, ms; doubled each time. */
  readonly backoffMs: number;
  /** `statement_timeout`, ms; 0 = none. */
  readonly statementTimeoutMs: number;
}

/** The defaults, together. */
export const DEFAULT_LOCK_WAIT_POLICY: LockWaitPolicy = {
  lockTimeoutMs: DEFAULT_MIGRATION_LOCK_TIMEOUT_MS,
  retries: DEFAULT_LOCK_RETRIES,
  backoffMs: DEFAULT_LOCK_RETRY_BACKOFF_MS,
  statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
};

/**
 * The lock-wait policy of one migration: its own `-- ydtb:lock-timeout` header (or TypeScript
 * `lockTimeout`) wins, then the manifest's `lockTimeout`, then the run's option, then the default.
 *
 * @example
 * lockWaitPolicy({ lockTimeoutMs: 30_000 }, basic, { retries: 1 }) // { lockTimeoutMs: 30000, retries: 1, … }
 */
export function lockWaitPolicy(
  body: { readonly lockTimeoutMs?: number },
  pkg: { readonly lockTimeoutMs?: number; readonly statementTimeoutMs?: number },
  run: Partial<LockWaitPolicy> = {},
): LockWaitPolicy {
  return {
    lockTimeoutMs: body.lockTimeoutMs ?? pkg.lockTimeoutMs ?? run.lockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS,
    retries: run.retries ?? DEFAULT_LOCK_RETRIES,
    backoffMs: run.backoffMs ?? DEFAULT_LOCK_RETRY_BACKOFF_MS,
    statementTimeoutMs: pkg.statementTimeoutMs ?? run.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
  };
}

/**
 * The `SET LOCAL` that bounds a migration transaction's lock waits (and statements): run first
 * in the transaction; it ends with it.
 *
 * @example
 * await tx.exec(setLocalTimeouts(policy)); // SET LOCAL lock_timeout = '5000ms'
 */
export function setLocalTimeouts(policy: LockWaitPolicy): string {
  return localTimeoutStatements(policy).join("; ");
}

/**
 * The statements of {@link setLocalTimeouts}, one per entry (for a `transactionBatch`).
 *
 * @example
 * localTimeoutStatements(policy) // ["SET LOCAL lock_timeout = '5000ms'"]
 */
export function localTimeoutStatements(policy: LockWaitPolicy): string[] {
  const lock = `SET LOCAL lock_timeout = '${Math.max(0, Math.round(policy.lockTimeoutMs))}ms'`;
  return policy.statementTimeoutMs > 0 ? [lock, `SET LOCAL statement_timeout = '${Math.round(policy.statementTimeoutMs)}ms'`] : [lock];
}

/** Pause before retry `attempt` (1-based): `backoffMs · 2^(attempt-1)`, plus up to 20 % so racing instances spread out. */
export function retryDelayMs(attempt: number, backoffMs: number): number {
  const base = backoffMs * 2 ** (attempt - 1);
  return Math.round(base + base * 0.2 * Math.random());
}
