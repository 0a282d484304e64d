import type { Connection } from "@ydtb/db-client";
import type { HistoryTableNames } from "../history/history-schema.ts";
import { ensureHistoryTables, historyTablesExist, readApplied, writeVersionRows } from "../history/history-store.ts";
import { recordMigration } from "../history/record-migration.ts";
import type { LoadedPackage } from "../model/loaded-package.ts";
import { AppliedState } from "../plan/applied-state.ts";

/** The prefix of `applied_by` on history rows written by `baseline` and `resolve`. */
export const ADOPTED_BY_PREFIX = "adopted";

/** One migration to record without running it. */
export interface AdoptEntry {
  readonly package: string;
  readonly id: string;
  /** `up`: now applied (a `baseline` history row); `down`: no longer applied (a `down` row of 0 ms). */
  readonly direction: "up" | "down";
  /** Where the fact comes from, recorded in `applied_by`: `drizzle.__drizzle_migrations row 3`, `baseline --to …`, `resolve --applied`. */
  readonly source: string;
}

/**
 * Records migrations as applied (or rolled back) without running them, in one transaction on
 * the locked connection: a history row each through the engine's `recordMigration` (direction
 * `baseline` for an adopted one, `down` for one resolved as rolled back; `execution_ms` 0;
 * `applied_by` = `adopted (<source>, not run) by <who>`) and the versions rows. Entries already
 * in the wanted state are left alone and returned in `unchanged`. Call under the migration lock.
 */
export async function recordAdopted(
  conn: Connection,
  tables: HistoryTableNames,
  packages: readonly LoadedPackage[],
  entries: readonly AdoptEntry[],
  options: { readonly appliedBy: string; readonly dryRun?: boolean },
): Promise<{ recorded: AdoptEntry[]; unchanged: AdoptEntry[] }> {
  if (!options.dryRun) await ensureHistoryTables(conn, tables);
  const applied = (await historyTablesExist(conn, tables)) ? await readApplied(conn, tables) : [];
  const state = AppliedState.from(applied);
  const recorded: AdoptEntry[] = [];
  const unchanged: AdoptEntry[] = [];
  for (const e of entries) (state.of(e.package).has(e.id) === (e.direction === "up") ? unchanged : recorded).push(e);
  if (options.dryRun || recorded.length === 0) return { recorded, unchanged };
  await conn.transaction(async (tx) => {
    const added: { package: string; id: string; checksum: string }[] = [];
    const removed = new Set<string>();
    for (const e of recorded) {
      const m = packages.find((p) => p.packageName === e.package)?.migrations.find((x) => x.id === e.id);
      // A migration resolved as rolled back may have lost its file: keep the recorded checksum.
      const checksum = m?.checksum ?? state.of(e.package).get(e.id) ?? "";
      await recordMigration(tx, tables, {
        package: e.package,
        id: e.id,
        version: m?.version ?? null,
        checksum,
        direction: e.direction === "up" ? "baseline" : "down",
        ms: 0,
        appliedBy: `${ADOPTED_BY_PREFIX} (${e.source}, not run) by ${options.appliedBy}`,
      });
      if (e.direction === "up") added.push({ package: e.package, id: e.id, checksum });
      else removed.add(`${e.package}\0${e.id}`);
    }
    const next = AppliedState.from(applied.filter((a) => !removed.has(`${a.package}\0${a.id}`)));
    for (const a of added) next.set(a.package, a.id, a.checksum);
    await writeVersionRows(tx, tables, next.versionRows(packages));
  });
  return { recorded, unchanged };
}
