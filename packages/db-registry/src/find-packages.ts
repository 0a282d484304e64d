import { existsSync, readdirSync, readFileSync } from "node:fs";
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

// A pattern `dir/*` (or `dir/sub/*`) with no other glob syntax: its package folders are the
// entries of `dir`, read with one listing instead of a glob scan (the boot path's hot spot).
const SIMPLE_PATTERN = /^([^*?[\]{}!\\]+)\/\*\/?$/;

/** The folders under `root` holding a package.json that `pattern` matches, as Bun.Glob lists them. */
function packageDirs(root: string, pattern: string): string[] {
  const simple = SIMPLE_PATTERN.exec(pattern);
  if (simple) {
    const parent = simple[1]!.replace(/^\.\//, "");
    if (parent.split("/").some((part) => IGNORED_DIRECTORIES.includes(part) || part === "." || part === "..")) return [];
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(resolve(root, parent), { withFileTypes: true });
    } catch (error) {
      // A workspace glob whose folder does not exist matches nothing, as Bun.Glob finds nothing.
      if ((error as { code?: unknown }).code === "ENOENT" || (error as { code?: unknown }).code === "ENOTDIR") return [];
      throw error;
    }
    // Bun.Glob's `*` skips dot entries and does not follow symlinks; the package.json is checked by the caller.
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith(".") && !IGNORED_DIRECTORIES.includes(e.name)).map((e) => resolve(root, parent, e.name));
  }
  const dirs: string[] = [];
  for (const file of new Bun.Glob(`${pattern.replace(/\/$/, "")}/package.json`).scanSync({ cwd: root, onlyFiles: true })) {
    if (!file.split("/").some((part) => IGNORED_DIRECTORIES.includes(part))) dirs.push(resolve(root, dirname(file)));
  }
  return dirs;
}

/** A file's bytes, or undefined when it is missing or not a file (a folder of that name). */
function readIfFile(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Missing (or a folder): not a package / no manifest, as the glob's onlyFiles and existsSync decide.
    if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/**
 * Lists the workspace packages (from the root package.json `workspaces` globs) that declare a
 * database manifest: `src/database.ts`, or the file named by `"ydtb": { "database": "…" }`.
 * `read`, when given, receives the bytes of every package.json and default manifest read on the
 * way (keyed by absolute path), so a caller hashing them (the boot stamp) reads each file once.
 */
export function findDatabasePackages(rootDir: string, read?: Map<string, Uint8Array>): DatabasePackage[] {
  const root = resolve(rootDir);
  const dirs = new Set<string>();
  for (const pattern of workspacePatterns(root)) for (const dir of packageDirs(root, pattern)) dirs.add(dir);
  const packages: DatabasePackage[] = [];
  for (const dir of [...dirs].sort(compareNames)) {
    const bytes = readIfFile(join(dir, "package.json"));
    if (bytes === undefined) continue;
    read?.set(join(dir, "package.json"), bytes);
    const pkg = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
    const declared = (pkg.ydtb as { database?: unknown } | undefined)?.database;
    const file = resolve(dir, typeof declared === "string" ? declared : DEFAULT_MANIFEST_FILE);
    if (typeof declared === "string" || (read ? readInto(read, file) : existsSync(file))) {
      packages.push({ name: typeof pkg.name === "string" ? pkg.name : relative(root, dir), dir, file });
    }
  }
  return packages;
}

function readInto(read: Map<string, Uint8Array>, file: string): boolean {
  const bytes = readIfFile(file);
  if (bytes !== undefined) read.set(file, bytes);
  return bytes !== undefined;
}
