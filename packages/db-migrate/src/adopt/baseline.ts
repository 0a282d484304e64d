import type { Database } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { getTableConfig } from "drizzle-orm/pg-core";
import semver from "semver";
import { historyTableNames } from "../history/history-schema.ts";
import { historyTablesExist, readApplied } from "../history/history-store.ts";
import { loadMigrations } from "../load/load-migrations.ts";
import { defaultAppliedBy } from "../run/applied-by.ts";
import { withMigrationLock } from "../run/migration-lock.ts";
import { BaselineMismatchError, DrizzleHistoryNotFoundError, ResolveError, type BaselineMismatch } from "./adopt-errors.ts";
import { drizzleFiles } from "./drizzle-files.ts";
import { DEFAULT_DRIZZLE_TABLE, drizzleTableName, readDrizzleHistory, type DrizzleTable } from "./drizzle-history.ts";
import { matchDrizzleHistory, type DrizzleTableGroup } from "./match-drizzle-history.ts";
import { recordAdopted, type AdoptEntry } from "./record-adopted.ts";

/** Options of {@link baselineFromDrizzle} and {@link baselineToVersion}. */
export interface BaselineOptions {
  /**
   * drizzle-kit history tables: one without `package` replaces the default for every package,
   * one with `package` is that package's. Default {@link DEFAULT_DRIZZLE_TABLE}.
   */
  readonly drizzleTables?: readonly (DrizzleTable & { readonly package?: string })[];
  /** Report what would be recorded; record nothing. Default false. */
  readonly dryRun?: boolean;
  readonly historyTable?: string;
  readonly lockTimeoutMs?: number;
  readonly appliedBy?: string;
}

/** What a baseline recorded (or, in a dry run, would record). */
export interface BaselineResult {
  readonly adopted: readonly AdoptEntry[];
  /** Matched migrations our history already had. */
  readonly alreadyApplied: readonly AdoptEntry[];
  readonly dryRun: boolean;
}

/**
 * Adopts a database migrated by drizzle-kit: each package's drizzle history rows are matched to
 * its migration files by drizzle's stored hash (SHA-256 of the file) and timestamp (the
 * journal's `when`), and the matched migrations are recorded as applied, without running
 * them, under the migration lock, marked adopted in the history. When anything does not match
 * it throws `BaselineMismatchError` listing every mismatch and records nothing.
 *
 * @example
 * const { adopted } = await baselineFromDrizzle(db, registry.list());
 * const custom = await baselineFromDrizzle(db, registry.list(), { drizzleTables: [{ package: "@acme/blog", schema: "drizzle", table: "blog_migrations" }] });
 */
export async function baselineFromDrizzle(db: Database, manifests: readonly DatabaseManifest[], options: BaselineOptions = {}): Promise<BaselineResult> {
  const packages = loadMigrations(manifests);
  const everyone = options.drizzleTables?.find((t) => t.package === undefined) ?? DEFAULT_DRIZZLE_TABLE;
  const groups = new Map<string, { table: DrizzleTable; explicit: boolean; packages: { name: string; files: NonNullable<ReturnType<typeof drizzleFiles>> }[] }>();
  for (const m of manifests) {
    const files = drizzleFiles(m);
    if (!files) continue; // TypeScript migrations: drizzle-kit never ran them
    const own = options.drizzleTables?.find((t) => t.package === m.packageName);
    const table = own ?? everyone;
    const key = drizzleTableName(table);
    const group = groups.get(key) ?? { table, explicit: false, packages: [] };
    group.explicit ||= own !== undefined || everyone !== DEFAULT_DRIZZLE_TABLE;
    group.packages.push({ name: m.packageName, files });
    groups.set(key, group);
  }
  for (const t of options.drizzleTables ?? []) {
    if (t.package && !manifests.some((m) => m.packageName === t.package)) {
      throw new ResolveError("UNKNOWN_PACKAGE", `--drizzle-table names "${t.package}", which is not a registered package; registered: ${manifests.map((m) => m.packageName).join(", ")}`);
    }
  }
  const tables = historyTableNames(options.historyTable);
  const appliedBy = options.appliedBy ?? defaultAppliedBy();
  return withMigrationLock(db, { lockTimeoutMs: options.lockTimeoutMs, historyTable: tables.history }, async (conn) => {
    const entries: AdoptEntry[] = [];
    const mismatches: BaselineMismatch[] = [];
    const missing: string[] = [];
    const applied = new Set(((await historyTablesExist(conn, tables)) ? await readApplied(conn, tables) : []).map((a) => `${a.package}\0${a.id}`));
    for (const [name, g] of groups) {
      const rows = await readDrizzleHistory(conn, g.table);
      if (!rows) {
        missing.push(name);
        if (g.explicit) throw new DrizzleHistoryNotFoundError([name]);
        continue;
      }
      const group: DrizzleTableGroup = { table: name, rows, packages: g.packages, applied };
      const result = matchDrizzleHistory(group);
      mismatches.push(...result.mismatches);
      entries.push(...result.matched.map((m) => ({ package: m.package, id: m.id, direction: "up" as const, source: `${m.table} row ${m.row}` })));
    }
    if (missing.length === groups.size) throw new DrizzleHistoryNotFoundError(missing.length ? missing : [drizzleTableName(everyone)]);
    if (mismatches.length > 0) throw new BaselineMismatchError(mismatches);
    const { recorded, unchanged } = await recordAdopted(conn, tables, packages, entries, { appliedBy, ...(options.dryRun ? { dryRun: true } : {}) });
    return { adopted: recorded, alreadyApplied: unchanged, dryRun: options.dryRun === true };
  });
}

/**
 * Adopts a database built by hand: records every migration of `pkg` released in versions up to
 * `version` (unreleased ones too when `version` is at least the code version) as applied,
 * without running them, marked adopted. When that is every migration of the package, each
 * table its schema declares must exist, or it throws `BaselineMismatchError` and records nothing.
 *
 * @example
 * await baselineToVersion(db, registry.list(), { package: "@ydtb/basic", version: "1.0.0" });
 */
export async function baselineToVersion(
  db: Database,
  manifests: readonly DatabaseManifest[],
  target: { readonly package: string; readonly version: string },
  options: Omit<BaselineOptions, "drizzleTables"> = {},
): Promise<BaselineResult> {
  const manifest = manifests.find((m) => m.packageName === target.package);
  if (!manifest) throw new ResolveError("UNKNOWN_PACKAGE", `baseline --to: no registered package "${target.package}"; registered: ${manifests.map((m) => m.packageName).join(", ")}`);
  const packages = loadMigrations(manifests);
  const pkg = packages.find((p) => p.packageName === target.package)!;
  const chosen = pkg.migrations.filter((m) => (m.version === null ? semver.gte(target.version, pkg.version) : semver.lte(m.version, target.version)));
  const entries = chosen.map((m) => ({ package: pkg.packageName, id: m.id, direction: "up" as const, source: `baseline --to ${target.package}@${target.version}` }));
  const tables = historyTableNames(options.historyTable);
  return withMigrationLock(db, { lockTimeoutMs: options.lockTimeoutMs, historyTable: tables.history }, async (conn) => {
    if (chosen.length === pkg.migrations.length) {
      const names = manifest.tables.map((t) => getTableConfig(t)).map((c) => (c.schema ? `"${c.schema}"."${c.name}"` : `"${c.name}"`));
      const found = names.length ? await conn.query<{ name: string; ok: boolean }>(`SELECT n AS name, to_regclass(n) IS NOT NULL AS ok FROM unnest($1::text[]) AS n`, [names]) : [];
      const absent = found.filter((r) => !r.ok);
      if (absent.length > 0) {
        throw new BaselineMismatchError(
          absent.map((r) => ({
            kind: "missing-table" as const,
            package: target.package,
            message: `"${target.package}" declares table ${r.name}, which this database does not have: it was not built to ${target.package}@${target.version}; create it, or baseline to the version it was built to`,
          })),
        );
      }
    }
    const { recorded, unchanged } = await recordAdopted(conn, tables, packages, entries, { appliedBy: options.appliedBy ?? defaultAppliedBy(), ...(options.dryRun ? { dryRun: true } : {}) });
    return { adopted: recorded, alreadyApplied: unchanged, dryRun: options.dryRun === true };
  });
}
