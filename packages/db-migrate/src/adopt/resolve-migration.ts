import type { Database } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { historyTableNames } from "../history/history-schema.ts";
import { historyTablesExist, readApplied } from "../history/history-store.ts";
import { loadMigrations } from "../load/load-migrations.ts";
import { defaultAppliedBy } from "../run/applied-by.ts";
import { withMigrationLock } from "../run/migration-lock.ts";
import { ResolveError } from "./adopt-errors.ts";
import { recordAdopted, type AdoptEntry } from "./record-adopted.ts";

/** Options of {@link resolveMigration}. */
export interface ResolveOptions {
  readonly historyTable?: string;
  readonly lockTimeoutMs?: number;
  readonly appliedBy?: string;
}

/**
 * Records one migration as applied (`as: "applied"`) or rolled back (`as: "rolled-back"`)
 * without running it, under the migration lock, in the history. For a migration fixed by hand
 * after a failure, or a file deleted after it was applied (rolled back). Throws `ResolveError`
 * (`UNKNOWN_PACKAGE`, `UNKNOWN_MIGRATION`, `ALREADY_APPLIED`, `NOT_APPLIED`).
 *
 * @example
 * await resolveMigration(db, registry.list(), { package: "@ydtb/basic", id: "0001_pinned", as: "applied" });
 */
export async function resolveMigration(
  db: Database,
  manifests: readonly DatabaseManifest[],
  which: { readonly package: string; readonly id: string; readonly as: "applied" | "rolled-back" },
  options: ResolveOptions = {},
): Promise<AdoptEntry> {
  if (!manifests.some((m) => m.packageName === which.package)) {
    throw new ResolveError("UNKNOWN_PACKAGE", `resolve: no registered package "${which.package}"; registered: ${manifests.map((m) => m.packageName).join(", ")}`);
  }
  const packages = loadMigrations(manifests);
  const pkg = packages.find((p) => p.packageName === which.package)!;
  const inCode = pkg.migrations.some((m) => m.id === which.id);
  const entry: AdoptEntry = { package: which.package, id: which.id, direction: which.as === "applied" ? "up" : "down", source: `resolve --${which.as}` };
  const tables = historyTableNames(options.historyTable);
  return withMigrationLock(db, { lockTimeoutMs: options.lockTimeoutMs, historyTable: tables.history }, async (conn) => {
    const applied = ((await historyTablesExist(conn, tables)) ? await readApplied(conn, tables) : []).filter((a) => a.package === which.package).map((a) => a.id);
    // A deleted file may still be marked rolled back (that is how a "missing" conflict is cleared).
    if (!inCode && !(which.as === "rolled-back" && applied.includes(which.id))) {
      throw new ResolveError("UNKNOWN_MIGRATION", `resolve: "${which.package}" has no migration "${which.id}"; its migrations: ${pkg.migrations.map((m) => m.id).join(", ") || "none"}`);
    }
    const { recorded } = await recordAdopted(conn, tables, packages, [entry], { appliedBy: options.appliedBy ?? defaultAppliedBy() });
    if (recorded.length === 0) {
      throw which.as === "applied"
        ? new ResolveError("ALREADY_APPLIED", `resolve: "${which.package}" ${which.id} is already recorded as applied; nothing to do`)
        : new ResolveError("NOT_APPLIED", `resolve: "${which.package}" ${which.id} is not recorded as applied; nothing to roll back`);
    }
    return entry;
  });
}
