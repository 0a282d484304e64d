import { buildPackageGraph, dependenciesOf, topologicalOrder } from "../graph/package-graph.ts";
import { IrreversibleMigrationError, RollbackBlockedError } from "../errors/plan-errors.ts";
import type { Conflict } from "../model/conflict.ts";
import type { LoadedMigration, LoadedPackage } from "../model/loaded-package.ts";
import { DEFAULT_TARGET, type AppliedMigration, type MigrationPlan, type MigrationTarget, type PlanStep } from "../model/plan-types.ts";
import { fileOf, findConflicts, uniqueMigrations } from "./find-conflicts.ts";
import { brokenDependents } from "./rollback-dependents.ts";
import { stepsForTarget } from "./target-steps.ts";

/** What {@link planMigrations} takes. */
export interface PlanInput {
  readonly packages: readonly LoadedPackage[];
  readonly applied: readonly AppliedMigration[];
  /** Default {@link DEFAULT_TARGET}. */
  readonly target?: MigrationTarget;
  /** Undo dependents that a rollback would break instead of refusing. Default false. */
  readonly cascade?: boolean;
  /** Apply a new migration ordered before applied ones of its package. Default false. */
  readonly allowOutOfOrder?: boolean;
}

/**
 * Plans a run from the applied set (pure: values in, values out). Ups go in package order
 * (dependencies first, ties by name) then migration order; downs undo dependents first, each
 * package newest first.
 *
 * Conflicts (returned, not thrown): an applied migration whose file is gone, an applied
 * migration whose checksum changed, a new migration ordered before applied ones of its
 * package (unless `allowOutOfOrder`), duplicate ids. Thrown before anything runs:
 * `UnknownTargetError`, `RollbackBlockedError` (a rollback breaks dependents and `cascade`
 * is off; it lists them, at any distance), `IrreversibleMigrationError` (a down step has no
 * down), and the graph errors of `buildPackageGraph`.
 *
 * @example
 * const plan = planMigrations({ packages, applied, target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } });
 * for (const s of plan.steps) console.log(s.direction, s.package, s.id, s.reason);
 */
export function planMigrations(input: PlanInput): MigrationPlan {
  const target = input.target ?? DEFAULT_TARGET;
  const graph = buildPackageGraph(input.packages);
  const order = topologicalOrder(graph);
  const byName = new Map(input.packages.map((p) => [p.packageName, p]));
  const position = new Map(order.map((name, i) => [name, i]));

  const appliedBy = new Map<string, AppliedMigration[]>();
  for (const a of input.applied) {
    if (!byName.has(a.package)) continue; // not selected in this run: not ours to judge
    appliedBy.set(a.package, [...(appliedBy.get(a.package) ?? []), a]);
  }
  const appliedIds = new Map([...appliedBy].map(([name, rows]) => [name, new Set(rows.map((a) => a.id))]));
  const isApplied = (pkg: string, id: string) => appliedIds.get(pkg)?.has(id) ?? false;
  const conflicts: Conflict[] = order.flatMap((name) => findConflicts(byName.get(name)!, appliedBy.get(name) ?? []));

  const wanted = stepsForTarget({ target, order, byName, appliedBy, isApplied, dependenciesOf: (name) => dependenciesOf(graph, name) });
  const ups: PlanStep[] = [];
  for (const { pkg, migration: m, reason } of wanted.ups) {
    const later = pkg.migrations.filter((x) => x.index > m.index && isApplied(pkg.packageName, x.id));
    if (later.length > 0 && !input.allowOutOfOrder) {
      conflicts.push({
        kind: "out-of-order",
        package: pkg.packageName,
        id: m.id,
        ...fileOf(m),
        message: `"${pkg.packageName}" migration "${m.id}" is new but ordered before migrations already applied (${later.map((x) => x.id).join(", ")}). Move it after them (regenerate it), or apply it anyway with --allow-out-of-order.`,
      });
      continue;
    }
    ups.push(upStep(pkg, m, later.length > 0 ? `${reason} (out of order, allowed)` : reason));
  }

  const downs = new Map<string, PlanStep>();
  for (const { pkg, migration: m, reason } of wanted.downs) downs.set(`${pkg.packageName}\0${m.id}`, downStep(pkg, m, reason));
  if (downs.size > 0) {
    const broken = brokenDependents(order, byName, appliedIds, new Set(downs.keys()));
    if (broken.length > 0 && !input.cascade) throw new RollbackBlockedError([...new Set([...downs.values()].map((s) => s.package))].join(", "), broken.map((b) => ({ package: b.package, ids: b.ids })));
    for (const b of broken) {
      const pkg = byName.get(b.package)!;
      for (const m of uniqueMigrations(pkg).filter((x) => b.ids.includes(x.id))) {
        downs.set(`${b.package}\0${m.id}`, downStep(pkg, m, `depends on ${b.dependency} (${b.range}), which is rolled back (cascade)`));
      }
    }
  }

  const indexOf = (s: PlanStep) => byName.get(s.package)!.migrations.find((m) => m.id === s.id)?.index ?? -1;
  const downSteps = [...downs.values()].sort((a, b) => position.get(b.package)! - position.get(a.package)! || indexOf(b) - indexOf(a));
  const irreversible = downSteps
    .map((s) => byName.get(s.package)!.migrations.find((m) => m.id === s.id)!)
    .filter((m) => !m.down)
    .map((m) => ({ package: m.package, id: m.id, ...fileOf(m) }));
  if (irreversible.length > 0) throw new IrreversibleMigrationError(irreversible);

  return { target, order, steps: [...downSteps, ...ups], conflicts };
}

function upStep(pkg: LoadedPackage, m: LoadedMigration, reason: string): PlanStep {
  return { package: pkg.packageName, id: m.id, version: m.version, direction: "up", reason, transaction: m.up.transaction };
}

// A down runs as its own body says: a transactional up may have a `-- ydtb:no-transaction` down.
function downStep(pkg: LoadedPackage, m: LoadedMigration, reason: string): PlanStep {
  return { package: pkg.packageName, id: m.id, version: m.version, direction: "down", reason, transaction: m.down?.transaction ?? true };
}

