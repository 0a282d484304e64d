/**
 * Orders package (or table) names the same way on every machine: by UTF-16 code units, not by
 * locale. The one comparator for names across the registry, discovery and the graph.
 *
 * @example
 * ["@ydtb/notes", "@ydtb/core"].sort(compareNames); // ["@ydtb/core", "@ydtb/notes"]
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
