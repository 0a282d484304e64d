import semver from "semver";
import { UnknownTargetError } from "../errors/plan-errors.ts";
import type { LoadedMigration, LoadedPackage } from "../model/loaded-package.ts";
import type { AppliedMigration, MigrationTarget } from "../model/plan-types.ts";
import { uniqueMigrations } from "./find-conflicts.ts";

/** A migration a target wants run one way, and why. */
export interface WantedStep {
  readonly pkg: LoadedPackage;
  readonly migration: LoadedMigration;
  readonly reason: string;
}

/** What {@link stepsForTarget} needs of the planner. */
export interface TargetContext {
  readonly target: MigrationTarget;
  readonly order: readonly string[];
  readonly byName: ReadonlyMap<string, LoadedPackage>;
  readonly appliedBy: ReadonlyMap<string, readonly AppliedMigration[]>;
  readonly isApplied: (pkg: string, id: string) => boolean;
  readonly dependenciesOf: (name: string) => string[];
}

/**
 * The ups and downs a target asks for, before conflicts, dependents and missing downs are
 * judged (pure). Throws `UnknownTargetError` for a package or version that does not exist.
 *
 * @example
 * stepsForTarget({ target: { kind: "latest" }, ... }).ups.map((s) => s.migration.id)
 */
export function stepsForTarget(ctx: TargetContext): { ups: WantedStep[]; downs: WantedStep[] } {
  const { target, order, byName, isApplied } = ctx;
  const ups: WantedStep[] = [];
  const downs: WantedStep[] = [];
  const upToLatest = (name: string, reason: string) => {
    const pkg = byName.get(name)!;
    for (const m of uniqueMigrations(pkg)) if (!isApplied(name, m.id)) ups.push({ pkg, migration: m, reason });
  };

  if (target.kind === "latest") {
    for (const name of order) upToLatest(name, "pending");
    return { ups, downs };
  }
  if (target.kind === "version") {
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
    const needs = new Set(ctx.dependenciesOf(pkg.packageName));
    for (const dep of order.filter((name) => needs.has(name))) upToLatest(dep, `dependency of ${target.package}`);
    for (const m of uniqueMigrations(pkg)) {
      if (wanted(m) && !isApplied(pkg.packageName, m.id)) ups.push({ pkg, migration: m, reason: `${target.package}@${target.version} includes it (${m.version})` });
      if (!wanted(m) && isApplied(pkg.packageName, m.id)) downs.push({ pkg, migration: m, reason: `${target.package}@${target.version} excludes it (${m.version ?? "unreleased"})` });
    }
    return { ups, downs };
  }
  if (!Number.isInteger(target.steps) || target.steps < 1) throw new UnknownTargetError(`--steps must be a whole number ≥ 1; got ${target.steps}.`);
  if (target.package !== undefined && !byName.has(target.package)) {
    throw new UnknownTargetError(`No registered package "${target.package}" to roll back; registered: ${order.join(", ")}.`);
  }
  const candidates = target.package !== undefined ? [...(ctx.appliedBy.get(target.package) ?? [])] : [...ctx.appliedBy.values()].flat();
  const scope = target.package !== undefined ? ` of ${target.package}` : "";
  for (const a of candidates.sort((x, y) => y.order - x.order).slice(0, target.steps)) {
    const pkg = byName.get(a.package)!;
    const m = pkg.migrations.find((x) => x.id === a.id);
    if (m) downs.push({ pkg, migration: m, reason: `one of the last ${target.steps} applied${scope}` });
  }
  return { ups, downs };
}
