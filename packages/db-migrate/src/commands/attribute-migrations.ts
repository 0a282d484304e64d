import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseManifest } from "@ydtb/db-registry";
import semver from "semver";
import { migrationIdsOf } from "../load/load-migrations.ts";
import { readVersionAttribution, VERSIONS_FILE } from "../load/read-versions-file.ts";
import { compareNames } from "@ydtb/db-registry";

/** What {@link attributeMigrations} did for one package. */
export interface AttributionResult {
  readonly package: string;
  /** The code version the migrations were attributed to. */
  readonly version: string;
  /** Ids newly attributed (empty when nothing was written). */
  readonly attributed: readonly string[];
  readonly written: boolean;
  readonly file?: string;
  /** One line for a terminal. */
  readonly message: string;
}

/**
 * Attributes every unattributed migration of a package to `manifest.version`, writing
 * {@link VERSIONS_FILE} beside the package — but only when that version is greater than
 * every version already in the file (i.e. changesets bumped it); otherwise writes nothing
 * and says the version has not been bumped yet. Run by `ydtb-db attribute` after
 * `changeset version`, so "version 1.0.0 of @ydtb/basic" names an exact set of migrations.
 *
 * @example
 * const r = attributeMigrations(basicManifest);
 * console.log(r.message); // "@ydtb/basic: 0002_archive → 1.2.0 (migrations.versions.json)"
 */
export function attributeMigrations(manifest: DatabaseManifest): AttributionResult {
  const base = { package: manifest.packageName, version: manifest.version };
  if (!manifest.packageDir) {
    return { ...base, attributed: [], written: false, message: "no package folder is known (register it through discovery): nothing attributed" };
  }
  const ids = migrationIdsOf(manifest);
  const current = readVersionAttribution(manifest);
  const file = current.file ?? join(manifest.packageDir, VERSIONS_FILE);
  const pending = ids.filter((id) => !current.byId.has(id));
  if (pending.length === 0) return { ...base, attributed: [], written: false, file, message: "every migration is attributed: nothing to do" };
  const latest = current.versions.at(-1);
  if (latest && !semver.gt(manifest.version, latest)) {
    return {
      ...base,
      attributed: [],
      written: false,
      file,
      message: `${pending.length} unattributed migration${pending.length === 1 ? "" : "s"} (${pending.join(", ")}) but version ${manifest.version} is not greater than ${latest}, already released: the version has not been bumped yet (add a changeset and run \`bun run version-packages\`)`,
    };
  }
  const next: Record<string, string[]> = {};
  for (const version of current.versions) next[version] = [...current.byId].filter(([, v]) => v === version).map(([id]) => id);
  next[manifest.version] = pending;
  writeFileSync(file, formatVersionsFile(next));
  return { ...base, attributed: pending, written: true, file, message: `${pending.join(", ")} → ${manifest.version} (${VERSIONS_FILE})` };
}

/**
 * {@link attributeMigrations} for every manifest, one result per package (sorted by name).
 *
 * @example
 * for (const r of attributeAll(registry.list())) console.log(`${r.package}: ${r.message}`);
 */
export function attributeAll(manifests: readonly DatabaseManifest[]): AttributionResult[] {
  return [...manifests].sort((a, b) => compareNames(a.packageName, b.packageName)).map(attributeMigrations);
}

/** One version per line, ids in migration order: readable diffs in review. */
function formatVersionsFile(value: Record<string, readonly string[]>): string {
  const lines = Object.entries(value).map(([v, ids]) => `  ${JSON.stringify(v)}: [${ids.map((id) => JSON.stringify(id)).join(", ")}]`);
  return `{\n${lines.join(",\n")}\n}\n`;
}
