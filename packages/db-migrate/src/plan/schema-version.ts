import semver from "semver";
import type { LoadedPackage } from "../model/loaded-package.ts";

/**
 * A package's schema version given the ids applied in a database: the highest released
 * version all of whose migrations (and all earlier ones) are applied, or null.
 *
 * @example
 * schemaVersionOf(basic, new Set(["0000_notes"])) // "1.0.0"
 */
export function schemaVersionOf(pkg: LoadedPackage, appliedIds: ReadonlySet<string>): string | null {
  let reached: string | null = null;
  for (const version of pkg.releasedVersions) {
    const complete = pkg.migrations.every((m) => m.version === null || semver.gt(m.version, version) || appliedIds.has(m.id));
    if (!complete) break;
    if (pkg.migrations.some((m) => m.version === version)) reached = version;
  }
  return reached;
}
