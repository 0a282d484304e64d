import type { DatabaseManifest, Diagnostic } from "@ydtb/db-registry";
import { buildPackageGraph, DependencyCycleError, DependencyVersionError, MissingDependencyError, type GraphInput } from "@ydtb/db-migrate";
import semver from "semver";

/** The rule name of the dependency-graph diagnostics in a report. */
export const DEPENDENCY_GRAPH_RULE = "dependency-graph";

interface MutableInput {
  packageName: string;
  version: string;
  dependencies: Record<string, string>;
  stub: boolean;
}

/**
 * Every problem of the packages' dependency graph, one error diagnostic each at the package at
 * fault: cycles (with their path), missing dependencies, versions outside a declared range.
 * It asks the engine's own `buildPackageGraph` (what `migrate` will ask), which stops at the
 * first problem: each problem found is set aside (the missing package stood in for, the range
 * widened, the cycle cut) and the graph built again, until it builds.
 *
 * @example
 * graphDiagnostics([basic]); // [{ rule: "dependency-graph", package: "@ydtb/basic", message: '"@ydtb/basic" depends on "@ydtb/core" (*), which is not registered. …' }]
 */
export function graphDiagnostics(manifests: readonly DatabaseManifest[]): Diagnostic[] {
  const inputs: MutableInput[] = manifests.map((m) => ({ packageName: m.packageName, version: m.version, dependencies: { ...m.dependencies }, stub: false }));
  const byName = new Map(inputs.map((i) => [i.packageName, i]));
  const found: Diagnostic[] = [];
  const report = (pkg: string, message: string) => found.push({ rule: DEPENDENCY_GRAPH_RULE, severity: "error", package: pkg, message });
  // Each round removes one problem; there are at most as many as dependency edges (+ implied ones).
  const rounds = inputs.reduce((n, i) => n + Object.keys(i.dependencies).length + 1, 1) * 2;
  for (let round = 0; round < rounds; round++) {
    try {
      buildPackageGraph(inputs as readonly GraphInput[]);
      return found;
    } catch (error) {
      if (error instanceof MissingDependencyError) {
        report(error.packageName, error.message);
        // Stand in for the missing package, at a version the range accepts, so the rest is checked.
        const stub: MutableInput = { packageName: error.dependency, version: semver.minVersion(error.range)?.version ?? "0.0.0", dependencies: {}, stub: true };
        inputs.push(stub);
        byName.set(stub.packageName, stub);
      } else if (error instanceof DependencyVersionError) {
        const dependency = byName.get(error.dependency);
        if (dependency?.stub) report(error.packageName, new MissingDependencyError(error.packageName, error.dependency, error.range).message);
        else report(error.packageName, error.message);
        const dependent = byName.get(error.packageName);
        if (!dependent) return found;
        dependent.dependencies[error.dependency] = "*";
      } else if (error instanceof DependencyCycleError) {
        const [first, second] = error.path;
        report(first ?? "", error.message);
        const dependent = first ? byName.get(first) : undefined;
        if (!dependent || !second || !(second in dependent.dependencies)) return found; // an implied edge: nothing to cut
        delete dependent.dependencies[second];
      } else {
        throw error;
      }
    }
  }
  return found;
}
