import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { compareNames } from "./compare-names.ts";

// Light on purpose (node built-ins only): a no-op `ydtb-db migrate` lists the packages through
// this module (`@ydtb/db-registry/find-packages`) without loading the registry's validation.

/** Where a package's manifest lives unless its package.json says `"ydtb": { "database": "…" }`. */
export const DEFAULT_MANIFEST_FILE = "src/database.ts";

/** A workspace package that declares a database manifest. */
export interface DatabasePackage {
  /** The package.json `name`. */
  readonly name: string;
  readonly dir: string;
  /** The manifest module. */
  readonly file: string;
}

/** Folders never read for package sources (nor watched in development). */
export const IGNORED_DIRECTORIES: readonly string[] = ["node_modules", ".data", ".turbo", "dist", ".git", ".tmp"];

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

/**
 * The root package.json `workspaces` patterns (an array, or `{ packages }`), negations left out.
 *
 * @example
 * workspacePatterns(process.cwd()) // ["apps/*", "packages/*", "tooling/*"]
 */
export function workspacePatterns(rootDir: string): string[] {
  const ws = readJson(join(resolve(rootDir), "package.json")).workspaces;
  const globs = Array.isArray(ws) ? ws : Array.isArray((ws as { packages?: unknown })?.packages) ? (ws as { packages: unknown[] }).packages : [];
  return globs.filter((g): g is string => typeof g === "string" && !g.startsWith("!"));
}

/**
 * Lists the workspace packages (from the root package.json `workspaces` globs) that declare a
 * database manifest: `src/database.ts`, or the file named by `"ydtb": { "database": "…" }`.
 */
export function findDatabasePackages(rootDir: string): DatabasePackage[] {
  const root = resolve(rootDir);
  const dirs = new Set<string>();
  for (const pattern of workspacePatterns(root)) {
    for (const file of new Bun.Glob(`${pattern.replace(/\/$/, "")}/package.json`).scanSync({ cwd: root, onlyFiles: true })) {
      if (!file.split("/").some((part) => IGNORED_DIRECTORIES.includes(part))) dirs.add(resolve(root, dirname(file)));
    }
  }
  const packages: DatabasePackage[] = [];
  for (const dir of [...dirs].sort(compareNames)) {
    const pkg = readJson(join(dir, "package.json"));
    const declared = (pkg.ydtb as { database?: unknown } | undefined)?.database;
    const file = resolve(dir, typeof declared === "string" ? declared : DEFAULT_MANIFEST_FILE);
    if (typeof declared === "string" || existsSync(file)) {
      packages.push({ name: typeof pkg.name === "string" ? pkg.name : relative(root, dir), dir, file });
    }
  }
  return packages;
}
