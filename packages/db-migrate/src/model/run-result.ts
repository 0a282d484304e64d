import type { MigrationPlan } from "./plan-types.ts";

/** A step starting or finishing, for progress output. */
export interface ProgressEvent {
  /** 0-based position in the plan. */
  readonly index: number;
  readonly total: number;
  readonly status: "running" | "applied" | "failed" | "skipped";
  readonly direction: "up" | "down";
  readonly package: string;
  readonly id: string;
  /** Set once the step finished. */
  readonly ms?: number;
}

/** What a failed migration reports: where it failed and what PostgreSQL said. */
export interface MigrationFailure {
  readonly package: string;
  readonly id: string;
  readonly direction: "up" | "down";
  readonly file?: string;
  /** 1-based index of the statement in the file, as PostgreSQL's parser cuts it; absent for TypeScript migrations. */
  readonly statement?: number;
  /** 1-based line and column of the statement in the file. */
  readonly line?: number;
  readonly column?: number;
  /** The first ~200 characters of the failing statement. */
  readonly excerpt?: string;
  /** The PostgreSQL SQLSTATE, e.g. `42P01`. */
  readonly pgCode?: string;
  readonly pgMessage: string;
}

/** A step's error: a `MigrationFailedError` (described here so results do not depend on the error classes). */
export interface StepError extends Error {
  readonly code: string;
  readonly failure: MigrationFailure;
}

/** What happened to one step. */
export interface StepResult {
  readonly package: string;
  readonly id: string;
  readonly version: string | null;
  readonly direction: "up" | "down";
  readonly reason: string;
  /** `skipped`: not run (dry run, after a failure, or rolled back with the whole plan in mode "all"). */
  readonly status: "applied" | "failed" | "skipped";
  readonly ms: number;
  readonly error?: StepError;
}

/** A package's versions after a run. */
export interface PackageVersionState {
  readonly package: string;
  readonly codeVersion: string;
  /** The schema version in the database (highest released version fully applied), or null. */
  readonly databaseVersion: string | null;
  readonly appliedCount: number;
}

/** What `migrate()` did. A failed run throws `MigrationFailedError` whose (frozen) `result` is this. */
export interface MigrationRunResult {
  readonly plan: MigrationPlan;
  readonly steps: readonly StepResult[];
  readonly applied: number;
  readonly skipped: number;
  readonly failed: number;
  /** Round trips the engine sent, the lock's included (a no-op run sends a handful, whatever the history length). */
  readonly queryCount: number;
  readonly ms: number;
  readonly versions: readonly PackageVersionState[];
  readonly dryRun: boolean;
  /** True when the planner answered from the versions table alone (nothing to do) and the history was not read. */
  readonly fastPath: boolean;
}
