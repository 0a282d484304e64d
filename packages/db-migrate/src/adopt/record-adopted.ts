import type { Connection } from "@ydtb/db-client";
import { ensureHistoryTables, readApplied, recordStep, writeVersionRows, type HistoryTableNames } from "../history-tables.ts";
import type { LoadedPackage } from "../loaded-package.ts";
import { AppliedState, versionRows } from "../migrate.ts";

/** The prefix of `applied_by` on history rows written by `baseline` and `resolve`. */
export const ADOPTED_BY_PREFIX = "adopted";

/** One migration to record without running it. */
export interface AdoptEntry {
  readonly package: string;
  readonly id: string;
  readonly direction: "up" | "down";
  /** Where the fact comes from, recorded in `applied_by`: `drizzle.__drizzle_migrations row 3`, `baseline --to …`, `resolve`. */
  readonly source: string;
}

/**
 * Records migrations as applied (or rolled back) without running them, in one transaction on
 * the locked connection: a history row each (`execution_ms` 0, `applied_by` starting with
 * {@link ADOPTED_BY_PREFIX} and naming the source) and the versions rows. Entries already in
 * the wanted state are left alone and returned in `unchanged`.
 */
export async function recordAdopted(
  conn: Connection,
  tables: HistoryTableNames,
  packages: readonly LoadedPackage[],
  entries: readonly AdoptEntry[],
  options: { readonly appliedBy: string; readonly dryRun?: boolean },
): Promise<{ recorded: AdoptEntry[]; unchanged: AdoptEntry[] }> {
  if (!options.dryRun) await ensureHistoryTables(conn, tables);
  const applied = options.dryRun && !(await tablesExist(conn, tables)) ? [] : await readApplied(conn, tables);
  const state = new AppliedState(applied);
  const recorded: AdoptEntry[] = [];
  const unchanged: AdoptEntry[] = [];
  for (const e of entries) {
    const isApplied = state.of(e.package).has(e.id);
    if ((e.direction === "up") === isApplied) unchanged.push(e);
    else recorded.push(e);
  }
  if (options.dryRun || recorded.length === 0) return { recorded, unchanged };
  await conn.transaction(async (tx) => {
    for (const e of recorded) {
      const m = packages.find((p) => p.packageName === e.package)?.migrations.find((x) => x.id === e.id);
      const checksum = m?.checksum ?? state.of(e.package).get(e.id) ?? "";
      await recordStep(tx, tables, {
        package: e.package,
        id: e.id,
        version: m?.version ?? null,
        checksum,
        direction: e.direction,
        ms: 0,
        appliedBy: `${ADOPTED_BY_PREFIX} (${e.source}, not run) by ${options.appliedBy}`,
      });
      if (e.direction === "up") state.set(e.package, e.id, checksum);
      else state.delete(e.package, e.id);
    }
    await writeVersionRows(tx, tables, versionRows(packages, state));
  });
  return { recorded, unchanged };
}

async function tablesExist(conn: Connection, t: HistoryTableNames): Promise<boolean> {
  const [row] = await conn.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [t.applied]);
  return row?.ok === true;
}
