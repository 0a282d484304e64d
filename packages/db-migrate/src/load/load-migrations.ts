import type { DatabaseManifest } from "@ydtb/db-registry";
import { VersionAttributionError } from "../errors/load-errors.ts";
import type { LoadedMigration, LoadedPackage } from "../model/loaded-package.ts";
import { impliedDependencies } from "./implied-dependencies.ts";
import { folderOf, loadFolder } from "./load-folder.ts";
import { loadTypeScript } from "./load-typescript.ts";
import { readJournal } from "./read-journal.ts";
import { readVersionAttribution, type VersionAttribution } from "./read-versions-file.ts";

/**
 * Reads every manifest's migrations (file reading only: no database, no SQL parser):
 * drizzle-kit folders in journal `idx` order with an optional `NNNN_name.down.sql` beside each
 * file as its down; TypeScript migrations as listed. Each gets its checksum and the version it
 * was released in (`migrations.versions.json`). The SQL is cut into statements and judged by
 * PostgreSQL's parser later, only for migrations about to run (`prepareSteps`).
 *
 * Throws `MigrationLoadError`, `OrphanMigrationFileError` or `VersionAttributionError`
 * naming the package and file.
 *
 * @example
 * const packages = loadMigrations(registry.list());
 * packages[0].migrations.map((m) => m.id) // ["0000_core", "0001_tools_phase2"]
 */
export function loadMigrations(manifests: readonly DatabaseManifest[]): LoadedPackage[] {
  return manifests.map(loadPackageMigrations);
}

/**
 * {@link loadMigrations} for one manifest.
 *
 * @example
 * loadPackageMigrations(coreManifest).migrations.length // 2
 */
export function loadPackageMigrations(manifest: DatabaseManifest): LoadedPackage {
  const attribution = readVersionAttribution(manifest);
  const migrations = typeof manifest.migrations === "string" ? loadFolder(manifest) : loadTypeScript(manifest);
  const attributed = migrations.map((m) => ({ ...m, version: attribution.byId.get(m.id) ?? null }));
  checkAttributionOrder(manifest.packageName, attribution, attributed);
  return {
    packageName: manifest.packageName,
    version: manifest.version,
    dependencies: impliedDependencies(manifest),
    tables: manifest.tables,
    migrations: attributed,
    releasedVersions: attribution.versions,
    ...(manifest.lockTimeoutMs !== undefined ? { lockTimeoutMs: manifest.lockTimeoutMs } : {}),
    ...(manifest.statementTimeoutMs !== undefined ? { statementTimeoutMs: manifest.statementTimeoutMs } : {}),
  };
}

/**
 * The migration ids of a package in order, without reading the SQL files.
 *
 * @example
 * migrationIdsOf(basicManifest) // ["0000_notes", "0001_pinned"]
 */
export function migrationIdsOf(manifest: DatabaseManifest): string[] {
  if (typeof manifest.migrations !== "string") return manifest.migrations.map((m) => m.id);
  const folder = folderOf(manifest);
  return readJournal(manifest.packageName, folder).map((e) => e.tag);
}

// Version targets mean "the migrations of versions ≤ v": that is a prefix only if versions
// never go down along the migration order and unreleased migrations come last.
function checkAttributionOrder(packageName: string, attribution: VersionAttribution, migrations: readonly LoadedMigration[]): void {
  let previous: LoadedMigration | undefined;
  for (const m of migrations) {
    if (previous) {
      const before = previous.version;
      const bad = m.version !== null && (before === null || attribution.versions.indexOf(m.version) < attribution.versions.indexOf(before));
      if (bad) {
        throw new VersionAttributionError(
          packageName,
          attribution.file ?? "migrations.versions.json",
          `migration "${m.id}" is attributed to ${m.version} but comes after "${previous.id}" (${before ?? "unreleased"}); ` +
            `a version holds a prefix of the migrations: attribute "${previous.id}" to ${m.version} or earlier, or reorder the migrations`,
        );
      }
    }
    previous = m;
  }
}
