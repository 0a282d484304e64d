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

/**
 * A package whose database holds applied migrations of a later release than this code's: an
 * instance of the previous release booting during a rolling deploy (or a rollback deploy).
 */
export interface PackageAhead {
  readonly package: string;
  /** This code's version (package.json). */
  readonly codeVersion: string;
  /** The true database version: the latest release among the applied migrations this code lacks. */
  readonly databaseVersion: string;
  /** The applied migrations this code does not have, with the release each was applied as, in the order applied. */
  readonly migrations: readonly { readonly id: string; readonly version: string }[];
}

/** A package left unmigrated because a dependency is ahead at a version outside the range it declares. */
export interface HeldBack {
  readonly package: string;
  /** Its migrations left pending. */
  readonly pending: readonly string[];
  readonly dependency: string;
  readonly range: string;
  /** The dependency's version in the database, or "held back" when the dependency is held back itself. */
  readonly databaseVersion: string;
}

/** The ordered steps, and the conflicts that forbid running them. */
export interface MigrationPlan {
  readonly target: MigrationTarget;
  /** Package order (dependencies first). */
  readonly order: readonly string[];
  readonly steps: readonly PlanStep[];
  /** Non-empty: `migrate()` refuses to run. */
  readonly conflicts: readonly Conflict[];
  /** Packages the database is ahead of (not migrated; a warning, or a refusal with `strictVersions`). */
  readonly ahead: readonly PackageAhead[];
  /** Packages not migrated because a dependency is ahead of what they accept. */
  readonly heldBack: readonly HeldBack[];
}
