import semver from "semver";
import { satisfiesRange } from "../graph/satisfies-range.ts";
import type { LoadedPackage } from "../model/loaded-package.ts";
import type { AppliedMigration, HeldBack, PackageAhead } from "../model/plan-types.ts";

/**
 * Whether the database is ahead of this code for one package (pure): applied migrations missing
 * from the code whose recorded release is later than the code's version. A missing migration
 * recorded as one of this code's own versions (or as unreleased) is not "ahead": a deleted or
 * renamed file stays a `missing-file` conflict.
 *
 * @example
 * databaseAhead(basicAt100, appliedOfBasic)
 * // { package: "@ydtb/basic", codeVersion: "1.0.0", databaseVersion: "1.1.0", migrations: [{ id: "0001_pinned", version: "1.1.0" }] }
 */
export function databaseAhead(pkg: LoadedPackage, applied: readonly AppliedMigration[]): PackageAhead | undefined {
  if (semver.valid(pkg.version) === null) return undefined;
  const code = new Set(pkg.migrations.map((m) => m.id));
  const later = applied
    .filter((a) => !code.has(a.id) && a.version !== null && semver.valid(a.version) !== null && semver.gt(a.version, pkg.version))
    .sort((x, y) => x.order - y.order);
  if (later.length === 0) return undefined;
  return {
    package: pkg.packageName,
    codeVersion: pkg.version,
    databaseVersion: later.map((a) => a.version!).sort(semver.rcompare)[0]!,
    migrations: later.map((a) => ({ id: a.id, version: a.version! })),
  };
}

/**
 * The packages with pending migrations that must wait (pure): a dependency is ahead at a
 * version outside the range they declare, or is held back itself. In `order`.
 *
 * @example
 * heldBackPackages(order, byName, ahead, pendingOf)
 * // [{ package: "@ydtb/tasks", dependency: "@ydtb/basic", range: "~1.0.0", databaseVersion: "1.1.0", pending: ["0002_due"] }]
 */
export function heldBackPackages(
  order: readonly string[],
  byName: ReadonlyMap<string, LoadedPackage>,
  ahead: ReadonlyMap<string, PackageAhead>,
  pendingOf: (name: string) => readonly string[],
): HeldBack[] {
  const held = new Map<string, HeldBack>();
  for (const name of order) {
    const pending = pendingOf(name);
    if (pending.length === 0) continue;
    for (const [dependency, range] of Object.entries(byName.get(name)?.dependencies ?? {})) {
      const a = ahead.get(dependency);
      if (held.has(dependency) || (a && !satisfiesRange(a.databaseVersion, range))) {
        held.set(name, { package: name, pending, dependency, range, databaseVersion: a ? a.databaseVersion : "held back" });
        break;
      }
    }
  }
  return [...held.values()];
}
