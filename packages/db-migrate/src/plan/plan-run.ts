import { migrationDigest } from "../load/checksum.ts";
import type { LoadedPackage } from "../model/loaded-package.ts";
import { DEFAULT_TARGET, type AppliedMigration, type MigrationPlan, type MigrationTarget, type PackageVersionRow } from "../model/plan-types.ts";
import { planMigrations } from "./plan-migrations.ts";
import { schemaVersionOf } from "./schema-version.ts";

/**
 * What the planner knows of the database: the versions table only (one row per package, what
 * a boot reads first), or the applied set.
 */
export type DatabaseState =
  | { readonly kind: "summary"; readonly versions: readonly PackageVersionRow[] }
  | { readonly kind: "applied"; readonly applied: readonly AppliedMigration[] };

/** What {@link planRun} takes. */
export interface PlanRunInput {
  readonly packages: readonly LoadedPackage[];
  readonly order: readonly string[];
  readonly state: DatabaseState;
  readonly target?: MigrationTarget;
  readonly cascade?: boolean;
  readonly allowOutOfOrder?: boolean;
}

/**
 * The planner's answer: a plan, or — from the summary alone — "the summary cannot decide,
 * read the applied set". A plan decided from the summary is the no-op (`fromSummary: true`).
 */
export type RunDecision =
  | { readonly kind: "plan"; readonly plan: MigrationPlan; readonly fromSummary: boolean; readonly versions?: readonly PackageVersionRow[] }
  | { readonly kind: "needs-applied" };

/**
 * The one place that decides what a run does (pure). Given the versions summary, it answers
 * "nothing to do" only when the target is latest and every package's row matches the code
 * exactly (code version, applied count, digest of the applied `id:checksum` set, schema
 * version): an applied set equal to the code's has no pending step and no conflict. Anything
 * else needs the applied set, from which {@link planMigrations} plans.
 *
 * @example
 * let decision = planRun({ packages, order, state: { kind: "summary", versions } });
 * if (decision.kind === "needs-applied") decision = planRun({ packages, order, state: { kind: "applied", applied } });
 */
export function planRun(input: PlanRunInput & { readonly state: { readonly kind: "applied" } }): Extract<RunDecision, { kind: "plan" }>;
export function planRun(input: PlanRunInput): RunDecision;
export function planRun(input: PlanRunInput): RunDecision {
  const target = input.target ?? DEFAULT_TARGET;
  if (input.state.kind === "applied") {
    const plan = planMigrations({ packages: input.packages, applied: input.state.applied, target, cascade: input.cascade, allowOutOfOrder: input.allowOutOfOrder });
    return { kind: "plan", plan, fromSummary: false };
  }
  if (target.kind !== "latest" || !summaryMatches(input.packages, input.state.versions)) return { kind: "needs-applied" };
  return { kind: "plan", plan: { target, order: input.order, steps: [], conflicts: [] }, fromSummary: true, versions: input.state.versions };
}

function summaryMatches(packages: readonly LoadedPackage[], rows: readonly PackageVersionRow[]): boolean {
  const byPackage = new Map(rows.map((r) => [r.package, r]));
  return packages.every((pkg) => {
    const row = byPackage.get(pkg.packageName);
    return (
      row !== undefined &&
      row.codeVersion === pkg.version &&
      row.appliedCount === pkg.migrations.length &&
      row.digest === migrationDigest(pkg.migrations) &&
      row.schemaVersion === schemaVersionOf(pkg, new Set(pkg.migrations.map((m) => m.id)))
    );
  });
}
