import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseManifest } from "@ydtb/db-registry";
import semver from "semver";
import { z } from "zod";
import { MigrationLoadError, VersionAttributionError } from "../errors/load-errors.ts";

/** The file, beside a package's package.json, that attributes migrations to released versions. */
export const VERSIONS_FILE = "migrations.versions.json";

const versionsFileSchema = z.record(
  z.string().refine((v) => semver.valid(v) !== null, { message: "is not a semver version; keys are released versions such as \"1.0.0\"" }),
  z.array(z.string()),
);

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
  const parsed = versionsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `"${issue.path.join(".")}"` : "the file";
    throw new VersionAttributionError(manifest.packageName, file, `${where}: ${issue.message}; it maps released versions to migration ids, e.g. { "1.0.0": ["0000_init"] }`, { cause: parsed.error });
  }
  const byId = new Map<string, string>();
  for (const [version, ids] of Object.entries(parsed.data)) {
    for (const id of ids) {
      const other = byId.get(id);
      if (other) throw new VersionAttributionError(manifest.packageName, file, `migration "${id}" is attributed to both ${other} and ${version}; keep it under the version that released it`);
      byId.set(id, version);
    }
  }
  return { file, versions: Object.keys(parsed.data).sort(semver.compare), byId };
}
