import { migrationDigest } from "../load/checksum.ts";
import type { LoadedMigration, LoadedPackage } from "../model/loaded-package.ts";
import type { AppliedMigration, PackageVersionRow, PlanStep } from "../model/plan-types.ts";
import type { PackageVersionState } from "../model/run-result.ts";
import { schemaVersionOf } from "./schema-version.ts";

/**
 * The applied set as a run changes it: package → id → checksum. Built from the applied rows,
 * changed after each step commits, summarised into the versions rows at the end.
 *
 * @example
 * const state = AppliedState.from(applied);
 * state.apply(step, migration);
 */
export class AppliedState {
  readonly #byPackage = new Map<string, Map<string, string>>();

  static from(applied: readonly AppliedMigration[]): AppliedState {
    const state = new AppliedState();
    for (const a of applied) state.set(a.package, a.id, a.checksum);
    return state;
  }

  set(pkg: string, id: string, checksum: string): void {
    let m = this.#byPackage.get(pkg);
    if (!m) this.#byPackage.set(pkg, (m = new Map()));
    m.set(id, checksum);
  }

  /** Applied ids → checksums of a package. */
  of(pkg: string): ReadonlyMap<string, string> {
    return this.#byPackage.get(pkg) ?? new Map();
  }

  /** Records a committed step: an up adds the migration, a down removes it. */
  apply(step: PlanStep, m: LoadedMigration): void {
    if (step.direction === "up") this.set(step.package, step.id, m.checksum);
    else this.#byPackage.get(step.package)?.delete(step.id);
  }

  /**
   * The versions-table rows of `packages` for this state: what the next boot's fast path compares.
   *
   * @example
   * await writeVersionRows(conn, tables, state.versionRows(packages));
   */
  versionRows(packages: readonly LoadedPackage[]): PackageVersionRow[] {
    return packages.map((pkg) => {
      const applied = this.of(pkg.packageName);
      return {
        package: pkg.packageName,
        schemaVersion: schemaVersionOf(pkg, new Set(applied.keys())),
        codeVersion: pkg.version,
        appliedCount: applied.size,
        digest: migrationDigest([...applied].map(([id, checksum]) => ({ id, checksum }))),
      };
    });
  }

  /** Each package's versions after the run, in `order`. */
  versionStates(packages: readonly LoadedPackage[], order: readonly string[]): PackageVersionState[] {
    return versionStatesOf(this.versionRows(packages), order);
  }
}

/** Versions rows as the run result reports them, in `order`. */
export function versionStatesOf(rows: readonly PackageVersionRow[], order: readonly string[]): PackageVersionState[] {
  const byPackage = new Map(rows.map((r) => [r.package, r]));
  return order.map((name) => {
    const r = byPackage.get(name)!;
    return { package: name, codeVersion: r.codeVersion, databaseVersion: r.schemaVersion, appliedCount: r.appliedCount };
  });
}
