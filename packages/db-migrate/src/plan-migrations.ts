import semver from "semver";
import type { Conflict } from "./conflict.ts";
import { IrreversibleMigrationError, RollbackBlockedError, UnknownTargetError } from "./errors.ts";
import type { LoadedMigration, LoadedPackage } from "./loaded-package.ts";
import { buildPackageGraph, dependenciesOf, topologicalOrder } from "./package-graph.ts";
import { schemaVersionOf } from "./schema-version.ts";

/**
 * Where a run should take the database.
 * - `latest`: every migration of every package applied.
 * - `version`: exactly the migrations of `package` released in versions ≤ `version` applied
 *   (up or down; `"0.0.0"` removes them all); its dependencies are brought to latest.
 * - `steps`: undo the last `steps` applied migrations.
 */
export type MigrationTarget =
  | { readonly kind: "latest" }
  | { readonly kind: "version"; readonly package: string; readonly version: string }
  | { readonly kind: "steps"; readonly steps: number };

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

/** One step of a plan. */
export interface PlanStep {
  readonly package: string;
  readonly id: string;
  /** The release the migration belongs to; null: the next, unreleased version. */
  readonly version: string | null;
  readonly direction: "up" | "down";
  /** Why the step is in the plan, in words. */
  readonly reason: string;
  /** False for a migration that runs outside a transaction. */
  readonly transaction: boolean;
}

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

/** The ordered steps, and the conflicts that forbid running them. */
export interface MigrationPlan {
  readonly target: MigrationTarget;
  /** Package order (dependencies first). */
  readonly order: readonly string[];
  readonly steps: readonly PlanStep[];
  /** Non-empty: `migrate()` refuses to run. */
  readonly conflicts: readonly Conflict[];
}

/**
 * Plans a run (pure: values in, values out). Ups go in package order (dependencies first,
 * ties by name) then migration order; downs undo dependents first, each package newest first.
 *
 * Conflicts (returned, not thrown): an applied migration whose file is gone, an applied
 * migration whose checksum changed, a new migration ordered before applied ones of its
 * package (unless `allowOutOfOrder`), duplicate ids. Thrown before anything runs:
 * `UnknownTargetError`, `RollbackBlockedError` (a rollback breaks dependents and `cascade`
 * is off; it lists them), `IrreversibleMigrationError` (a down step has no down), and the
 * graph errors of `buildPackageGraph`.
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
  const conflicts: Conflict[] = [];

  const appliedBy = new Map<string, Map<string, AppliedMigration>>();
  for (const a of input.applied) {
    if (!byName.has(a.package)) continue; // not selected in this run: not ours to judge
    let m = appliedBy.get(a.package);
    if (!m) appliedBy.set(a.package, (m = new Map()));
    m.set(a.id, a);
  }
  const isApplied = (pkg: string, id: string) => appliedBy.get(pkg)?.has(id) ?? false;

  for (const name of order) {
    const pkg = byName.get(name)!;
    const seen = new Map<string, LoadedMigration>();
    for (const m of pkg.migrations) {
      const first = seen.get(m.id);
      if (first) {
        conflicts.push({
          kind: "duplicate-id",
          package: name,
          id: m.id,
          ...fileOf(m),
          message: `"${name}" has two migrations with id "${m.id}" (positions ${first.index + 1} and ${m.index + 1}); rename the newer one (ids are unique per package)`,
        });
      } else seen.set(m.id, m);
    }
    for (const a of [...(appliedBy.get(name)?.values() ?? [])].sort((x, y) => x.order - y.order)) {
      const m = seen.get(a.id);
      if (!m) {
        conflicts.push({
          kind: "missing-file",
          package: name,
          id: a.id,
          message: `"${name}" migration "${a.id}" is applied in the database but no longer in the code; restore it (git checkout its file / put it back in the migrations array). To remove its effect, write a new migration that undoes it.`,
        });
      } else if (m.checksum !== a.checksum) {
        conflicts.push({
          kind: "checksum-mismatch",
          package: name,
          id: a.id,
          ...fileOf(m),
          message: `"${name}" migration "${a.id}"${m.up.kind === "sql" ? ` (${m.up.file})` : ""} changed after it was applied (checksum ${a.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… now). Revert the edit and write a new migration, or accept it deliberately with \`ydtb-db repair --package ${name}\`.`,
        });
      }
    }
  }

  const ups: PlanStep[] = [];
  const downs = new Map<string, PlanStep>();
  const up = (pkg: LoadedPackage, m: LoadedMigration, reason: string) => {
    const lastApplied = Math.max(-1, ...pkg.migrations.filter((x) => isApplied(pkg.packageName, x.id)).map((x) => x.index));
    if (m.index < lastApplied) {
      if (!input.allowOutOfOrder) {
        conflicts.push({
          kind: "out-of-order",
          package: pkg.packageName,
          id: m.id,
          ...fileOf(m),
          message: `"${pkg.packageName}" migration "${m.id}" is new but ordered before migrations already applied (${pkg.migrations.filter((x) => x.index > m.index && isApplied(pkg.packageName, x.id)).map((x) => x.id).join(", ")}). Move it after them (regenerate it), or apply it anyway with --allow-out-of-order.`,
        });
        return;
      }
      reason += " (out of order, allowed)";
    }
    ups.push({ package: pkg.packageName, id: m.id, version: m.version, direction: "up", reason, transaction: m.up.transaction });
  };
  const down = (pkg: LoadedPackage, m: LoadedMigration, reason: string) => {
    const key = `${pkg.packageName}\0${m.id}`;
    if (!downs.has(key)) downs.set(key, { package: pkg.packageName, id: m.id, version: m.version, direction: "down", reason, transaction: m.down?.transaction ?? true });
  };
  const upToLatest = (name: string, reason: string) => {
    const pkg = byName.get(name)!;
    for (const m of uniqueMigrations(pkg)) if (!isApplied(name, m.id)) up(pkg, m, reason);
  };

  if (target.kind === "latest") {
    for (const name of order) upToLatest(name, "pending");
  } else if (target.kind === "version") {
    const pkg = byName.get(target.package);
    if (!pkg) throw new UnknownTargetError(`No registered package "${target.package}" to move to ${target.version}; registered: ${order.join(", ")}.`);
    const released = pkg.releasedVersions;
    if (target.version !== "0.0.0" && !released.includes(target.version)) {
      throw new UnknownTargetError(
        `"${target.package}" has no released version ${target.version}; released: ${released.length ? released.join(", ") : "none"} (from migrations.versions.json). ` +
          `Use one of them, "0.0.0" to undo all its migrations, or migrate to latest for unreleased ones.`,
      );
    }
    const wanted = (m: LoadedMigration) => m.version !== null && target.version !== "0.0.0" && semver.lte(m.version, target.version);
    for (const dep of dependenciesOf(graph, pkg.packageName).sort((a, b) => position.get(a)! - position.get(b)!)) {
      upToLatest(dep, `dependency of ${target.package}`);
    }
    for (const m of uniqueMigrations(pkg)) {
      if (wanted(m) && !isApplied(pkg.packageName, m.id)) up(pkg, m, `${target.package}@${target.version} includes it (${m.version})`);
      if (!wanted(m) && isApplied(pkg.packageName, m.id)) down(pkg, m, `${target.package}@${target.version} excludes it (${m.version ?? "unreleased"})`);
    }
  } else {
    if (!Number.isInteger(target.steps) || target.steps < 1) throw new UnknownTargetError(`--steps must be a whole number ≥ 1; got ${target.steps}.`);
    const applied = [...appliedBy.values()].flatMap((m) => [...m.values()]).sort((a, b) => b.order - a.order);
    for (const a of applied.slice(0, target.steps)) {
      const pkg = byName.get(a.package)!;
      const m = pkg.migrations.find((x) => x.id === a.id);
      if (m) down(pkg, m, `one of the last ${target.steps} applied`);
    }
  }

  // Dependents whose applied migrations need what the downs remove.
  if (downs.size > 0) {
    const remaining = (name: string) => {
      const ids = new Set([...(appliedBy.get(name)?.keys() ?? [])].filter((id) => !downs.has(`${name}\0${id}`)));
      return ids;
    };
    const blocked: { package: string; ids: string[] }[] = [];
    const rootNames = [...new Set([...downs.values()].map((s) => s.package))];
    for (const name of order) {
      const pkg = byName.get(name)!;
      const left = remaining(name);
      if (left.size === 0) continue;
      const broken = Object.entries(pkg.dependencies).find(([dep, range]) => {
        const touched = [...downs.values()].some((s) => s.package === dep);
        if (!touched) return false;
        const depVersion = schemaVersionOf(byName.get(dep)!, remaining(dep));
        return remaining(dep).size === 0 || depVersion === null || !semver.satisfies(depVersion, range, { includePrerelease: true });
      });
      if (!broken) continue;
      const ids = uniqueMigrations(pkg).filter((m) => left.has(m.id));
      blocked.push({ package: name, ids: ids.map((m) => m.id) });
      // Cascaded or not, treat them as undone so their own dependents are found too.
      for (const m of ids) down(pkg, m, `depends on ${broken[0]} (${broken[1]}), which is rolled back (cascade)`);
    }
    if (blocked.length > 0 && !input.cascade) throw new RollbackBlockedError(rootNames.join(", "), blocked);
  }

  const downSteps = [...downs.values()].sort((a, b) => {
    const pa = position.get(a.package)!;
    const pb = position.get(b.package)!;
    if (pa !== pb) return pb - pa;
    return indexOf(byName, b) - indexOf(byName, a);
  });
  const irreversible = downSteps
    .map((s) => byName.get(s.package)!.migrations.find((m) => m.id === s.id)!)
    .filter((m) => !m.down)
    .map((m) => ({ package: m.package, id: m.id, ...fileOf(m) }));
  if (irreversible.length > 0) throw new IrreversibleMigrationError(irreversible);

  return { target, order, steps: [...downSteps, ...ups], conflicts };
}

function uniqueMigrations(pkg: LoadedPackage): LoadedMigration[] {
  const seen = new Set<string>();
  return pkg.migrations.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

function indexOf(byName: Map<string, LoadedPackage>, step: PlanStep): number {
  return byName.get(step.package)!.migrations.find((m) => m.id === step.id)?.index ?? -1;
}

function fileOf(m: LoadedMigration): { file?: string } {
  return m.up.kind === "sql" ? { file: m.up.file } : {};
}
