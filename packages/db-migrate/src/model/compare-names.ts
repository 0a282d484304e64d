/**
 * The one order for package names and migration ids: by UTF-16 code unit, the same on every
 * machine and locale (unlike `localeCompare`).
 *
 * @example
 * ["@ydtb/zeta", "@ydtb/alpha"].sort(compareNames) // ["@ydtb/alpha", "@ydtb/zeta"]
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
