import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { CORE_PACKAGE } from "./manifest.ts";

/**
 * Whether a package depends on `@ydtb/core` without saying so. Every package whose tables
 * reference a table outside its own schema does (its workspace tables reference
 * `ydtb_workspaces`): core's migrations must run first. A package whose tables reference
 * nothing outside themselves — or that brings only migrations (no schema) — does not: it can
 * be migrated without core, as a foreign drizzle-kit folder is. When the tables are not known
 * (a graph input that is not a manifest), core is implied, as before.
 *
 * @example
 * impliesCore(basicDatabase);                                                           // true: it references ydtb_workspaces
 * impliesCore({ packageName: "@acme/legacy", dependencies: {}, tables: [] });          // false: migrations only
 */
export function impliesCore(manifest: { readonly packageName: string; readonly dependencies: Readonly<Record<string, string>>; readonly tables?: readonly PgTable[] }): boolean {
  if (manifest.packageName === CORE_PACKAGE || Object.hasOwn(manifest.dependencies, CORE_PACKAGE)) return false;
  if (manifest.tables === undefined) return true;
  const own = new Set<PgTable>(manifest.tables);
  return manifest.tables.some((t) => getTableConfig(t).foreignKeys.some((fk) => !own.has(fk.reference().foreignTable)));
}
