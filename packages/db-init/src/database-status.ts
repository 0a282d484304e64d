import type { Database } from "@ydtb/db-client";
import { rlsDrift, type RlsDrift } from "@ydtb/db-access";
import { listTools } from "@ydtb/db-core";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { HISTORY_TABLE, historyTableNames, loadMigrations, migrationStatus, type PackageStatus } from "@ydtb/db-migrate";

/** One migration of a package as `status --migrations` lists it. */
export interface MigrationListing {
  readonly id: string;
  /** The release it belongs to, or null (unreleased). */
  readonly version: string | null;
  readonly state: "applied" | "pending" | "missing" | "changed";
  /** When it was (last) applied, ISO 8601; null when pending. */
  readonly appliedAt: string | null;
  /** Who applied it (`user@host pid N`, or the adoption/resolution note); null when pending. */
  readonly appliedBy: string | null;
}

/** What {@link databaseStatus} returns: JSON-serialisable. */
export interface DatabaseStatus {
  readonly database: string;
  readonly packages: readonly (PackageStatus & {
    readonly tools: readonly { readonly id: string; readonly name: string; readonly active: boolean }[];
    readonly migrations?: readonly MigrationListing[];
    /** Row-level security of its workspace tables that differs from its policy migrations (changed by hand). */
    readonly rlsDrift: readonly Omit<RlsDrift, "package">[];
  })[];
}

/** Options of {@link databaseStatus}. */
export interface DatabaseStatusOptions {
  /** List every migration with when and by whom it was applied. Default false. */
  readonly migrations?: boolean;
  /** Default `HISTORY_TABLE`. */
  readonly historyTable?: string;
}

/**
 * Status per package: versions, migrations, the tools it provides, and row-level-security drift
 * (its workspace tables changed by hand, see `rlsDrift`). Read-only: takes no
 * lock and answers on a database that was never migrated.
 *
 * @example
 * const status = await databaseStatus(db, registry.list(), { migrations: true });
 */
export async function databaseStatus(db: Database, manifests: readonly DatabaseManifest[], options: DatabaseStatusOptions = {}): Promise<DatabaseStatus> {
  const packages = await migrationStatus(db, manifests, options.historyTable ? { historyTable: options.historyTable } : {});
  const [exists] = await db.query<{ tools: boolean }>(`SELECT to_regclass('ydtb_tools') IS NOT NULL AS tools`);
  // Before the first migration there is no tools table: no tools to list.
  const tools = exists?.tools ? await listTools(db.orm) : [];
  const drift = await rlsDrift(db, manifests);
  const listings = options.migrations ? await migrationListings(db, manifests, packages, options.historyTable ?? HISTORY_TABLE) : undefined;
  return {
    database: db.label,
    packages: packages.map((p) => ({
      ...p,
      tools: tools.filter((t) => t.packageName === p.package).map((t) => ({ id: t.id, name: t.name, active: t.isActive })),
      rlsDrift: drift.filter((d) => d.package === p.package).map(({ table, problem, message }) => ({ table, problem, message })),
      ...(listings ? { migrations: listings.get(p.package) ?? [] } : {}),
    })),
  };
}

async function migrationListings(db: Database, manifests: readonly DatabaseManifest[], status: readonly PackageStatus[], historyTable: string): Promise<Map<string, MigrationListing[]>> {
  const t = historyTableNames(historyTable);
  const [exists] = await db.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS ok`, [t.applied, t.history]);
  const rows = exists?.ok
    ? await db.query<{ package: string; migration_id: string; applied_at: Date | string; applied_by: string }>(
        `SELECT m."package", m."migration_id", m."applied_at", h."applied_by" FROM "${t.applied}" m LEFT JOIN "${t.history}" h ON h."id" = m."history_id" ORDER BY m."history_id"`,
      )
    : [];
  const loaded = loadMigrations(manifests);
  const out = new Map<string, MigrationListing[]>();
  for (const p of status) {
    const code = loaded.find((l) => l.packageName === p.package)?.migrations ?? [];
    const applied = new Map(rows.filter((r) => r.package === p.package).map((r) => [r.migration_id, r]));
    const list: MigrationListing[] = code.map((m) => {
      const r = applied.get(m.id);
      return {
        id: m.id,
        version: m.version,
        state: !r ? "pending" : p.changed.includes(m.id) ? "changed" : "applied",
        appliedAt: r ? new Date(r.applied_at).toISOString() : null,
        appliedBy: r?.applied_by ?? null,
      };
    });
    for (const id of p.missing) {
      const r = applied.get(id);
      list.push({ id, version: null, state: "missing", appliedAt: r ? new Date(r.applied_at).toISOString() : null, appliedBy: r?.applied_by ?? null });
    }
    out.set(p.package, list);
  }
  return out;
}
