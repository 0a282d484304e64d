import type { DatabaseManifest } from "@ydtb/db-registry";
import { impliedDependencies } from "@ydtb/db-migrate";

/** One dependency: `from` depends on `to` (with the declared range). */
export interface PackageEdge {
  readonly from: string;
  readonly to: string;
  readonly range: string;
}

/** The dependency edges of a set of manifests, `@ydtb/core` implied for every package. */
export function packageEdges(manifests: readonly DatabaseManifest[]): PackageEdge[] {
  const edges: PackageEdge[] = [];
  for (const m of manifests) {
    for (const [to, range] of Object.entries(impliedDependencies(m)).sort()) edges.push({ from: m.packageName, to, range });
  }
  return edges;
}

/**
 * Renders the package graph as text, Mermaid or Graphviz dot.
 *
 * @example
 * formatGraph(["@ydtb/core", "@ydtb/basic"], edges, "mermaid")
 */
export function formatGraph(order: readonly string[], edges: readonly PackageEdge[], format: "text" | "mermaid" | "dot"): string {
  if (format === "mermaid") {
    const id = (name: string) => `p${order.indexOf(name) >= 0 ? order.indexOf(name) : name.replace(/\W/g, "_")}`;
    return ["graph BT", ...order.map((n) => `  ${id(n)}["${n}"]`), ...edges.map((e) => `  ${id(e.from)} -->|"${e.range}"| ${id(e.to)}`)].join("\n");
  }
  if (format === "dot") {
    return ["digraph packages {", "  rankdir=BT;", ...order.map((n) => `  "${n}";`), ...edges.map((e) => `  "${e.from}" -> "${e.to}" [label="${e.range}"];`), "}"].join("\n");
  }
  const deps = (n: string) => edges.filter((e) => e.from === n).map((e) => `${e.to} ${e.range}`);
  return ["Migration order (dependencies first):", ...order.map((n, i) => `  ${i + 1}. ${n}${deps(n).length ? `  ← ${deps(n).join(", ")}` : ""}`)].join("\n");
}
