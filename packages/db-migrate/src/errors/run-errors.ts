import type { MigrationFailure, MigrationRunResult } from "../model/run-result.ts";
import { MigrateError } from "./migrate-error.ts";

/** Another migrator held the lock longer than `lockTimeoutMs`. */
export class LockTimeoutError extends MigrateError {
  constructor(
    readonly timeoutMs: number,
    readonly holder: string,
    options?: ErrorOptions,
  ) {
    super(
      "LOCK_TIMEOUT",
      `Waited ${timeoutMs} ms for the migration lock, held by ${holder}. ` +
        `Another migration is running: wait for it and retry, raise the lock timeout (--lock-timeout), or stop the holder if it is stuck.`,
      options,
    );
  }
}

/**
 * Releasing the migration lock failed. `cause` is the release error; `runError` is what the
 * locked work threw, if it failed too (the release failure is reported rather than lost).
 */
export class LockReleaseError extends MigrateError {
  constructor(
    readonly lock: string,
    readonly runError: unknown,
    options: ErrorOptions,
  ) {
    super(
      "LOCK_RELEASE_FAILED",
      `Releasing the migration lock (${lock}) failed: ${(options.cause as Error)?.message ?? String(options.cause)}. ` +
        (runError === undefined ? "The work under the lock had finished. " : `The work under the lock had failed too: ${(runError as Error)?.message ?? String(runError)}. `) +
        `If the connection is broken the server dropped the lock with it; otherwise it is held until that session ends: ` +
        `find it in pg_locks (locktype 'advisory') and end it with pg_terminate_backend(pid).`,
      options,
    );
  }
}

/** Options of {@link MigrationFailedError}. */
export interface MigrationFailedOptions extends ErrorOptions {
  /** The run up to and including the failure (frozen). */
  readonly result?: MigrationRunResult;
}

/**
 * A migration failed: its transaction was rolled back and nothing after it ran. `result`
 * (set when `migrate()` throws it, immutable) holds the run so far.
 */
export class MigrationFailedError extends MigrateError {
  /** The run up to and including the failure, when thrown by `migrate()`: frozen, and the property cannot be reassigned. */
  declare readonly result?: MigrationRunResult;
  constructor(
    readonly failure: MigrationFailure,
    options: MigrationFailedOptions = {},
  ) {
    const f = failure;
    const where = f.file ? `, ${f.file}${f.line !== undefined ? `:${f.line}:${f.column}` : ""}` : "";
    super(
      "MIGRATION_FAILED",
      `"${f.package}" migration "${f.id}" (${f.direction}${where}) failed` +
        `${f.statement !== undefined ? ` at statement ${f.statement}` : ""}: ${f.pgCode ? `[${f.pgCode}] ` : ""}${f.pgMessage}` +
        `${f.excerpt ? `\n  statement: ${f.excerpt}` : ""}` +
        `\nIts changes were rolled back and nothing after it ran. Fix the migration and run again; the migrations before it stay applied.`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    if (options.result) Object.defineProperty(this, "result", { value: Object.freeze(options.result), enumerable: true, writable: false, configurable: false });
  }
}
