import { existsSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { findDatabasePackages, IGNORED_DIRECTORIES, workspacePatterns, type DatabasePackage } from "@ydtb/db-registry";

/** A folder to watch, recursively or flat. */
export interface WatchTarget {
  readonly dir: string;
  readonly recursive: boolean;
}

/** True when `file` is `dir` or inside it. */
export function isInside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** True for files under a folder discovery never reads (node_modules, .data, …). */
export function isIgnored(rootDir: string, file: string): boolean {
  return relative(rootDir, file)
    .split(sep)
    .some((part) => IGNORED_DIRECTORIES.includes(part));
}

/**
 * The folders to watch: the fixed part of each `workspaces` pattern (read by discovery's own
 * `workspacePatterns`), recursively, so new packages are seen; database packages outside those;
 * the root itself flat when a pattern names a folder directly under it.
 *
 * @example
 * watchTargets(rootDir) // [{ dir: ".../apps", recursive: true }, { dir: ".../packages", recursive: true }, …]
 */
export function watchTargets(rootDir: string, onError: (message: string, error: unknown) => void): WatchTarget[] {
  const targets = new Map<string, boolean>();
  let patterns: string[] = [];
  let packages: DatabasePackage[] = [];
  try {
    patterns = workspacePatterns(rootDir);
    packages = findDatabasePackages(rootDir);
  } catch (error) {
    // Reported, and nothing is watched but what was found: the app still serves its boot state.
    onError(`reading the workspace in ${rootDir} failed`, error);
  }
  for (const pattern of patterns) {
    const fixed = pattern.split("/").findIndex((part) => /[*?[{]/.test(part));
    const base = resolve(rootDir, fixed === -1 ? pattern : pattern.split("/").slice(0, fixed).join("/"));
    // Watching the root recursively would watch node_modules: watch it flat, packages below.
    if (base !== rootDir && existsSync(base)) targets.set(base, true);
  }
  const covered = (dir: string) => [...targets.keys()].some((t) => isInside(dir, t));
  for (const pkg of packages) if (!covered(pkg.dir)) targets.set(pkg.dir, true);
  if (patterns.some((g) => resolve(rootDir, dirname(g)) === rootDir)) targets.set(rootDir, false);
  return [...targets].map(([dir, recursive]) => ({ dir, recursive }));
}
