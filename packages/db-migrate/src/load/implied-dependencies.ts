import { CORE_PACKAGE, impliesCore, type DatabaseManifest } from "@ydtb/db-registry";

/**
 * A package's dependencies with {@link CORE_PACKAGE} implied for every package whose tables
 * reference a table outside it (core's workspaces, as every workspace table does), or whose
 * tables are not known; not for core itself, nor for a package that only brings migrations.
 *
 * @example
 * impliedDependencies({ packageName: "@ydtb/basic", dependencies: {} }) // { "@ydtb/core": "*" }
 */
export function impliedDependencies(manifest: Pick<DatabaseManifest, "packageName" | "dependencies"> & { readonly tables?: DatabaseManifest["tables"] }): Record<string, string> {
  const deps = { ...manifest.dependencies };
  // Not for a package whose tables reference nothing outside it, or that has none (see impliesCore).
  if (impliesCore(manifest)) deps[CORE_PACKAGE] = "*";
  return deps;
}
