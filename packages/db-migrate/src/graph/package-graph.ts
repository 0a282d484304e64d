import { alg, Graph } from "@dagrejs/graphlib";
import { DependencyCycleError, DependencyVersionError, MissingDependencyError } from "../errors/graph-errors.ts";
import { impliedDependencies } from "../load/implied-dependencies.ts";
import { compareNames as byName } from "@ydtb/db-registry";
import { satisfiesRange } from "./satisfies-range.ts";

/** What the graph needs of a package: a manifest or a loaded package both fit. */
export interface GraphInput {
  readonly packageName: string;
  readonly version: string;
  readonly dependencies: Readonly<Record<string, string>>;
}

/**
 * Builds the package dependency graph (`@dagrejs/graphlib`): one node per package (label: its
 * version), one edge dependency → dependent (label: the declared range). `@ydtb/core` is
 * implied for every package but core. Checks it: a missing dependency throws
 * `MissingDependencyError` naming who needs it, an installed version outside a declared
 * range `DependencyVersionError` naming both, a cycle `DependencyCycleError` with its full path.
 *
 * @example
 * const graph = buildPackageGraph(registry.list());
 * graph.successors("@ydtb/core") // packages that depend on core
 */
export function buildPackageGraph(packages: readonly GraphInput[]): Graph {
  const graph = new Graph({ directed: true });
  for (const p of packages) graph.setNode(p.packageName, p.version);
  for (const p of [...packages].sort((a, b) => byName(a.packageName, b.packageName))) {
    const deps = impliedDependencies(p);
    for (const dep of Object.keys(deps).sort(byName)) {
      const range = deps[dep]!;
      if (!graph.hasNode(dep)) throw new MissingDependencyError(p.packageName, dep, range);
      const installed = graph.node(dep) as string;
      if (!satisfiesRange(installed, range)) throw new DependencyVersionError(p.packageName, dep, range, installed);
      graph.setEdge(dep, p.packageName, range);
    }
  }
  const cycle = findCycle(graph);
  if (cycle) throw new DependencyCycleError(cycle);
  return graph;
}

/**
 * The packages in migration order: dependencies first, ties broken by name, so the order
 * is the same on every machine. Throws what {@link buildPackageGraph} throws.
 *
 * @example
 * orderPackages(registry.list()) // ["@ydtb/core", "@ydtb/basic", ...]
 */
export function orderPackages(packages: readonly GraphInput[]): string[] {
  return topologicalOrder(buildPackageGraph(packages));
}

/** Kahn's algorithm taking the smallest ready name each time. */
export function topologicalOrder(graph: Graph): string[] {
  const remaining = new Map(graph.nodes().map((n) => [n, graph.predecessors(n)?.length ?? 0]));
  const ready = [...remaining].filter(([, n]) => n === 0).map(([name]) => name);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort(byName);
    const next = ready.shift()!;
    order.push(next);
    for (const s of graph.successors(next) ?? []) {
      const left = remaining.get(s)! - 1;
      remaining.set(s, left);
      if (left === 0) ready.push(s);
    }
  }
  return order;
}

/**
 * Every package that depends on `name`, directly or not.
 *
 * @example
 * dependentsOf(graph, "@ydtb/core") // ["@ydtb/basic", ...]
 */
export function dependentsOf(graph: Graph, name: string): string[] {
  return reachable(name, (n) => graph.successors(n));
}

/**
 * Every package `name` depends on, directly or not.
 *
 * @example
 * dependenciesOf(graph, "@ydtb/basic") // ["@ydtb/core"]
 */
export function dependenciesOf(graph: Graph, name: string): string[] {
  return reachable(name, (n) => graph.predecessors(n));
}

// Edges point from a dependency to its dependent: one walk serves both directions.
function reachable(start: string, next: (n: string) => string[] | undefined | void): string[] {
  const seen = new Set<string>();
  const visit = (n: string) => {
    for (const m of next(n) ?? []) {
      if (seen.has(m)) continue;
      seen.add(m);
      visit(m);
    }
  };
  visit(start);
  return [...seen].sort(byName);
}

// A cycle as a path "a needs b needs … needs a", starting from the smallest name in it.
// graphlib finds the cycles (strongly connected components, self-loops included); the walk
// only orders one of them as a path for the message.
function findCycle(graph: Graph): string[] | undefined {
  const cycles = alg.findCycles(graph).map((c) => [...c].sort(byName));
  cycles.sort((a, b) => byName(a[0]!, b[0]!));
  const members = cycles[0];
  if (!members) return undefined;
  const start = members[0]!;
  const inCycle = new Set(members);
  const path: string[] = [start];
  const seen = new Set<string>([start]);
  // Walk "needs" edges (dependent → dependency, i.e. predecessors) inside the cycle.
  const walk = (n: string): boolean => {
    for (const dep of [...(graph.predecessors(n) ?? [])].sort(byName)) {
      if (!inCycle.has(dep)) continue;
      if (dep === start) {
        path.push(start);
        return true;
      }
      if (seen.has(dep)) continue;
      seen.add(dep);
      path.push(dep);
      if (walk(dep)) return true;
      path.pop();
    }
    return false;
  };
  walk(start);
  return path;
}

/**
 * The migration order when the graph is sound; otherwise (a cycle, a missing dependency, a
 * version outside a range) the names sorted, with the graph's error. For commands that must
 * answer for a broken graph: `migrationStatus` reports, `dropEverything` drops with CASCADE.
 *
 * @example
 * const { order, graphError } = orderOrNames(registry.list());
 */
export function orderOrNames(packages: readonly GraphInput[]): { readonly order: string[]; readonly graphError?: Error } {
  try {
    return { order: orderPackages(packages) };
  } catch (error) {
    // The caller asked for an answer despite a broken graph; the error is handed back, not lost.
    return { order: packages.map((p) => p.packageName).sort(byName), graphError: error as Error };
  }
}
