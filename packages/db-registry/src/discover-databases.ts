import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { compareNames } from "./compare-names.ts";
import { findDatabasePackages, IGNORED_DIRECTORIES, type DatabasePackage } from "./find-packages.ts";
import { isDatabaseManifest } from "./define-database.ts";
import { bindManifest } from "./manifest-location.ts";
import { DiscoveryError, type DiscoveryFailure } from "./errors.ts";
import type { DatabaseManifest } from "./manifest.ts";

export { DEFAULT_MANIFEST_FILE, findDatabasePackages, IGNORED_DIRECTORIES, workspacePatterns, type DatabasePackage } from "./find-packages.ts";

/** Options of {@link discoverDatabases}. */
export interface DiscoverOptions {
  /**
   * Import manifests afresh (development reload): every source and JSON module under each
   * database package's folder is dropped from the module cache first, so an edited
   * `schema.ts` is seen, and a module that failed to load is tried again. Default false.
   */
  readonly fresh?: boolean;
}

/** What {@link discoverDatabases} found: every manifest that loaded, and every one that failed. */
export interface DiscoveryResult {
  /** Sorted by package name. */
  readonly manifests: readonly DatabaseManifest[];
  readonly failures: readonly DiscoveryFailure[];
  readonly packages: readonly DatabasePackage[];
}

/**
 * Drops a package's modules from the module cache. A query suffix on the manifest's URL is not
 * enough: it re-imports database.ts but not the schema.ts it imports, and Bun keeps a module
 * that failed to load failed until its cache entry is deleted (even one not listed).
 */
function evictPackageModules(dir: string): void {
  const cache = require.cache as Record<string, unknown>;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!IGNORED_DIRECTORIES.includes(entry.name)) evictPackageModules(path);
    } else if (/\.(?:[cm]?[jt]sx?|json)$/.test(entry.name)) {
      delete cache[path];
    }
  }
}

/**
 * Finds and imports every workspace package's database manifest, with no hand-kept list.
 * A manifest that fails to import, or does not default-export `defineDatabase(...)`, is
 * returned in `failures` with its file and cause, never skipped silently.
 *
 * @example
 * const { manifests, failures } = await discoverDatabases(process.cwd());
 * if (failures.length) throw new DiscoveryError(failures);
 */
export async function discoverDatabases(rootDir: string, options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const packages = findDatabasePackages(rootDir);
  if (options.fresh) for (const pkg of packages) evictPackageModules(pkg.dir);
  const loaded = await Promise.all(
    packages.map(async (pkg): Promise<DatabaseManifest | DiscoveryFailure> => {
      const fail = (message: string, cause: unknown): DiscoveryFailure => ({ packageName: pkg.name, file: pkg.file, message, cause });
      if (!existsSync(pkg.file)) return fail(`the manifest file does not exist; create it or fix "ydtb.database" in package.json`, undefined);
      let mod: { default?: unknown };
      try {
        mod = (await import(pathToFileURL(pkg.file).href)) as { default?: unknown };
      } catch (error) {
        return fail(`importing the manifest failed: ${error instanceof Error ? error.message : String(error)}`, error);
      }
      if (!isDatabaseManifest(mod.default)) {
        return fail("the file does not `export default defineDatabase({ ... })`", undefined);
      }
      return bindManifest(mod.default, { packageDir: pkg.dir, source: pkg.file });
    }),
  );
  const manifests = loaded.filter(isDatabaseManifest).sort((a, b) => compareNames(a.packageName, b.packageName));
  const failures = loaded.filter((x): x is DiscoveryFailure => !isDatabaseManifest(x));
  return { manifests, failures, packages };
}

/** Like {@link discoverDatabases}, but throws one `DiscoveryError` naming every failed package. */
export async function discoverDatabasesOrThrow(rootDir: string, options: DiscoverOptions = {}): Promise<readonly DatabaseManifest[]> {
  const result = await discoverDatabases(rootDir, options);
  if (result.failures.length > 0) throw new DiscoveryError(result.failures);
  return result.manifests;
}
