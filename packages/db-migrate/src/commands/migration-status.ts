import type { Database } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { orderOrNames } from "../graph/package-graph.ts";
import { historyTableNames } from "../history/history-schema.ts";
import { historyTablesExist, readApplied } from "../history/history-store.ts";
import { loadMigrations } from "../load/load-migrations.ts";
import type { AppliedMigration } from "../model/plan-types.ts";
import { schemaVersionOf } from "../plan/schema-version.ts";

/** Options of {@link migrationStatus}. */
export interface StatusOptions {
  /** Default `HISTORY_TABLE`. */
  readonly historyTable?: string;
}

/** Where one package stands. */
export interface PackageStatus {
  readonly package: string;
  readonly codeVersion: string;
  /** Highest released version fully applied, or null. */
  readonly databaseVersion: string | null;
  /** Applied ids, in the order they were applied. */
  readonly applied: readonly string[];
  /** Ids in the code not applied yet, in migration order. */
  readonly pending: readonly string[];
  /** Applied ids no longer in the code. */
  readonly missing: readonly string[];
  /** Applied ids whose checksum differs from the code's. */
  readonly changed: readonly string[];
  readonly lastAppliedAt: Date | null;
}

/**
 * Per package: code version, database version, applied and pending migrations. Read-only:
 * takes no lock, creates nothing, and reports everything pending on a database that was
 * never migrated. Two queries.
 *
 * @example
 * for (const p of await migrationStatus(db, registry.list())) console.log(p.package, p.databaseVersion, p.pending);
 */
export async function migrationStatus(db: Database, manifests: readonly DatabaseManifest[], options: StatusOptions = {}): Promise<PackageStatus[]> {
  const packages = loadMigrations(manifests);
  const tables = historyTableNames(options.historyTable);
  const applied: AppliedMigration[] = (await historyTablesExist(db, tables)) ? await readApplied(db, tables) : [];
  const { order } = orderOrNames(packages); // status still answers for a broken graph (validate reports it)
  return order.map((name) => {
    const pkg = packages.find((p) => p.packageName === name)!;
    const mine = applied.filter((a) => a.package === name);
    const ids = new Set(mine.map((a) => a.id));
    const code = new Map(pkg.migrations.map((m) => [m.id, m]));
    const last = mine.map((a) => (a.appliedAt ? new Date(a.appliedAt) : undefined)).filter((d): d is Date => d !== undefined).sort((a, b) => b.getTime() - a.getTime())[0];
    return {
      package: name,
      codeVersion: pkg.version,
      databaseVersion: schemaVersionOf(pkg, ids),
      applied: mine.map((a) => a.id),
      pending: pkg.migrations.filter((m) => !ids.has(m.id)).map((m) => m.id),
      missing: mine.filter((a) => !code.has(a.id)).map((a) => a.id),
      changed: mine.filter((a) => code.has(a.id) && code.get(a.id)!.checksum !== a.checksum).map((a) => a.id),
      lastAppliedAt: last ?? null,
    };
  });
}
