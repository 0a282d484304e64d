import type { Conflict } from "./conflict.ts";

/**
 * Where a run should take the database.
 * - `latest`: every migration of every package applied.
 * - `version`: exactly the migrations of `package` released in versions ≤ `version` applied
 *   (up or down; `"0.0.0"` removes them all); its dependencies are brought to latest.
 * - `steps`: undo the last `steps` applied migrations — of `package` only when given (its
 *   dependents that need them are refused, or undone too with `cascade`).
 */
export type MigrationTarget =
  | { readonly kind: "latest" }
  | { readonly kind: "version"; readonly package: string; readonly version: string }
  | { readonly kind: "steps"; readonly steps: number; readonly package?: string };

/** Default target: everything to latest. */
export const DEFAULT_TARGET: MigrationTarget = { kind: "latest" };

/** A migration recorded as applied in the database. */
export interface AppliedMigration {
  readonly package: string;
  readonly id: string;
  readonly checksum: string;
  /** The version recorded when it was applied (null: unreleased then). */
  readonly version: string | null;
  /** Increases with every application: the order they were applied in. */
  readonly order: number;
  readonly appliedAt?: Date | string;
}

/** One row of the versions table: a package's summary, what the no-op fast path reads. */
export interface PackageVersionRow {
  readonly package: string;
  readonly schemaVersion: string | null;
  readonly codeVersion: string;
  readonly appliedCount: number;
  /** SHA-256 over the applied `id:checksum` lines sorted by id (`migrationDigest`). */
  readonly digest: string;
}

/** One step of a plan. */
export interface PlanStep {
  readonly package: string;
  readonly id: string;
  /** The release the migration belongs to; null: the next, unreleased version. */
  readonly version: string | null;
  readonly direction: "up" | "down";
  /** Why the step is in the plan, in words. */
  readonly reason: string;
  /** False for a step that runs outside a transaction (its body is `-- ydtb:no-transaction` / `transaction: false`). */
  readonly transaction: boolean;
}

/** The ordered steps, and the conflicts that forbid running them. */
export interface MigrationPlan {
  readonly target: MigrationTarget;
  /** Package order (dependencies first). */
  readonly order: readonly string[];
  readonly steps: readonly PlanStep[];
  /** Non-empty: `migrate()` refuses to run. */
  readonly conflicts: readonly Conflict[];
}
