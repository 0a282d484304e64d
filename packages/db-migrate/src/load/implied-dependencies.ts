import { CORE_PACKAGE, type DatabaseManifest } from "@ydtb/db-registry";

/**
 * A package's dependencies with {@link CORE_PACKAGE} implied for every package but core itself.
 *
 * @example
 * impliedDependencies({ packageName: "@ydtb/basic", dependencies: {} }) // { "@ydtb/core": "*" }
 */
export function impliedDependencies(manifest: Pick<DatabaseManifest, "packageName" | "dependencies">): Record<string, string> {
  const deps = { ...manifest.dependencies };
  if (manifest.packageName !== CORE_PACKAGE && !(CORE_PACKAGE in deps)) deps[CORE_PACKAGE] = "*";
  return deps;
}
