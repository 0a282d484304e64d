/** Edits (insert, delete, substitute) turning `a` into `b`. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `input` when it is close enough to be a typo (at most a third of its
 * length, and 3, edits away; or a prefix), else undefined.
 *
 * @example
 * didYouMean("mirgate", ["migrate", "status"]) // "migrate"
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = name.startsWith(input) && input.length >= 3 ? 0 : distance(input, name);
    if (!best || d < best.d) best = { name, d };
  }
  if (!best) return undefined;
  return best.d <= Math.min(3, Math.max(1, Math.floor(input.length / 3))) ? best.name : undefined;
}
