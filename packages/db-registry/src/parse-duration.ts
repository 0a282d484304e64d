const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, min: 60_000 };

/**
 * A duration as PostgreSQL's settings write them — `500ms`, `10s`, `2min` — or a bare number
 * of milliseconds, in ms. Undefined when it is not one.
 *
 * @example
 * parseDuration("10s") // 10000
 * parseDuration(250)   // 250
 * parseDuration("soon") // undefined
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min)?\s*$/.exec(value);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNITS[match[2] ?? "ms"]!);
}
