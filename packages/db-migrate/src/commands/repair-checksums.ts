import type { Database } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { historyTableNames } from "../history/history-schema.ts";
import { ensureHistoryTables, readApplied, writeVersionRows } from "../history/history-store.ts";
import { recordMigration } from "../history/record-migration.ts";
import { loadMigrations } from "../load/load-migrations.ts";
import { AppliedState } from "../plan/applied-state.ts";
import { defaultAppliedBy } from "../run/applied-by.ts";
import { withMigrationLock } from "../run/migration-lock.ts";

/** Options of {@link repairChecksums}. */
export interface RepairOptions {
  /** Only this package. Default: every package given. */
  readonly package?: string;
  readonly historyTable?: string;
  readonly lockTimeoutMs?: number;
  readonly appliedBy?: string;
}

/** What {@link repairChecksums} accepted. */
export interface RepairResult {
  readonly repaired: readonly { readonly package: string; readonly id: string; readonly previous: string; readonly checksum: string }[];
}

/**
 * Accepts, deliberately, the current checksums of applied migrations that were edited: for
 * each, appends a `repair` row to the history (with the new checksum) and updates the applied
 * set, under the migration lock. The edited SQL is NOT run: repair says "the database already
 * matches this file".
 *
 * @example
 * const { repaired } = await repairChecksums(db, registry.list(), { package: "@ydtb/basic" });
 */
export async function repairChecksums(db: Database, manifests: readonly DatabaseManifest[], options: RepairOptions = {}): Promise<RepairResult> {
  const packages = loadMigrations(manifests);
  const tables = historyTableNames(options.historyTable);
  const appliedBy = options.appliedBy ?? defaultAppliedBy();
  return withMigrationLock(db, { lockTimeoutMs: options.lockTimeoutMs, historyTable: tables.history }, async (conn) => {
    await ensureHistoryTables(conn, tables);
    const applied = await readApplied(conn, tables);
    const state = AppliedState.from(applied);
    const repaired: { package: string; id: string; previous: string; checksum: string }[] = [];
    await conn.transaction(async (tx) => {
      for (const a of applied) {
        if (options.package && a.package !== options.package) continue;
        const m = packages.find((p) => p.packageName === a.package)?.migrations.find((x) => x.id === a.id);
        if (!m || m.checksum === a.checksum) continue;
        await recordMigration(tx, tables, { package: a.package, id: a.id, version: m.version, checksum: m.checksum, direction: "repair", ms: 0, appliedBy });
        state.set(a.package, a.id, m.checksum);
        repaired.push({ package: a.package, id: a.id, previous: a.checksum, checksum: m.checksum });
      }
      if (repaired.length > 0) await writeVersionRows(tx, tables, state.versionRows(packages));
    });
    return { repaired };
  });
}
