import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseManifest } from "@ydtb/db-registry";
import semver from "semver";
import { MigrationLoadError, VersionAttributionError } from "./errors.ts";

/** The file, beside a package's package.json, that attributes migrations to released versions. */
export const VERSIONS_FILE = "migrations.versions.json";

/** The parsed {@link VERSIONS_FILE}: which migrations each released version holds. */
export interface VersionAttribution {
  /** Absent when the package has no folder or no file. */
  readonly file?: string;
  /** Released versions, ascending. */
  readonly versions: readonly string[];
  /** Migration id → the version it was released in. */
  readonly byId: ReadonlyMap<string, string>;
}

/**
 * Reads a package's {@link VERSIONS_FILE}. A package without `packageDir`, or without the
 * file, has nothing attributed: all its migrations belong to the next version.
 *
 * @example
 * readVersionAttribution(manifest).byId.get("0000_notes") // "1.0.0"
 */
export function readVersionAttribution(manifest: Pick<DatabaseManifest, "packageName" | "packageDir">): VersionAttribution {
  if (!manifest.packageDir) return { versions: [], byId: new Map() };
  const file = join(manifest.packageDir, VERSIONS_FILE);
  if (!existsSync(file)) return { file, versions: [], byId: new Map() };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new MigrationLoadError(manifest.packageName, file, `is not valid JSON (${(error as Error).message}); it maps versions to migration ids: { "1.0.0": ["0000_init"] }`, { cause: error });
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new VersionAttributionError(manifest.packageName, file, `must be an object of version → migration ids, e.g. { "1.0.0": ["0000_init"] }`);
  }
  const byId = new Map<string, string>();
  for (const [version, ids] of Object.entries(raw)) {
    if (!semver.valid(version)) throw new VersionAttributionError(manifest.packageName, file, `"${version}" is not a semver version; keys are released versions such as "1.0.0"`);
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) {
      throw new VersionAttributionError(manifest.packageName, file, `"${version}" must list migration ids as strings, e.g. ["0000_init"]`);
    }
    for (const id of ids as string[]) {
      const other = byId.get(id);
      if (other) throw new VersionAttributionError(manifest.packageName, file, `migration "${id}" is attributed to both ${other} and ${version}; keep it under the version that released it`);
      byId.set(id, version);
    }
  }
  return { file, versions: Object.keys(raw).sort(semver.compare), byId };
}
