import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ManifestError } from "./errors.ts";
import { MANIFEST_BRAND, type DatabaseManifest } from "./manifest.ts";

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * The file that called into this package (the first stack frame outside its `src/`): for
 * `defineDatabase()`, the manifest module. `undefined` when the stack does not say (eval,
 * a bundle without file names).
 */
export function callerFile(): string | undefined {
  const original = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, calls) => calls;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, callerFile);
    const calls = Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
    for (const call of calls) {
      let file = call.getFileName?.() ?? undefined;
      if (!file) continue;
      if (file.startsWith("file://")) file = fileURLToPath(file);
      if (!isAbsolute(file) || dirname(file) === HERE) continue;
      return existsSync(file) ? file : undefined;
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = original;
  }
}

/**
 * The folder of the nearest package.json at or above `file`'s folder, or `undefined`.
 *
 * @example
 * packageDirOf("/repo/packages/notes/src/database.ts"); // "/repo/packages/notes"
 */
export function packageDirOf(file: string): string | undefined {
  let dir = dirname(file);
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const quote = (v: unknown) => JSON.stringify(v);

/**
 * Returns a copy of `manifest` that knows its package folder (and source file), so a relative
 * `migrations` path resolves. Discovery does this for you.
 *
 * @example
 * bindManifest(manifest, { packageDir: "/repo/packages/notes", source: "/repo/packages/notes/src/database.ts" });
 */
export function bindManifest(manifest: DatabaseManifest, where: { readonly packageDir: string; readonly source?: string }): DatabaseManifest {
  return Object.freeze({ ...manifest, [MANIFEST_BRAND]: true as const, packageDir: where.packageDir, ...(where.source ? { source: where.source } : {}) });
}

/**
 * The absolute migrations folder of a manifest with a folder path, or `undefined` for
 * TypeScript migrations. A relative path resolves from `packageDir`: the package of the file
 * that called `defineDatabase()`, whatever the working directory, or the one discovery set.
 *
 * @example
 * migrationsFolder(notesManifest); // "/repo/packages/notes/drizzle"
 */
export function migrationsFolder(manifest: DatabaseManifest): string | undefined {
  if (typeof manifest.migrations !== "string") return undefined;
  if (isAbsolute(manifest.migrations)) return manifest.migrations;
  if (!manifest.packageDir) {
    throw new ManifestError(manifest.packageName, [
      {
        path: "migrations",
        message: `${quote(manifest.migrations)} is relative but the package folder is unknown (no package.json above the file that called defineDatabase()); register the manifest through discoverDatabases(), or write migrations: new URL("../drizzle", import.meta.url)`,
      },
    ]);
  }
  return resolve(manifest.packageDir, manifest.migrations);
}
