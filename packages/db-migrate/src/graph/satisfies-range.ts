import semver from "semver";

/**
 * Whether a package version satisfies a declared dependency range. Prereleases count: a
 * `2.0.0-beta.1` satisfies `^1.0.0 || ^2.0.0-0` and `*`, so installing a prerelease of a
 * dependency is not refused by a plain range.
 *
 * @example
 * satisfiesRange("1.2.0-beta.1", "^1.0.0") // true
 */
export function satisfiesRange(version: string, range: string): boolean {
  return semver.satisfies(version, range, { includePrerelease: true });
}
