import type { Database } from "@ydtb/db-client";
import type { ChaosPackage } from "./generate-package.ts";
import { CHAOS_PACKAGE } from "./generate-package.ts";

/** What a database looks like, for comparing it with a single migrator's. */
export interface Snapshot {
  /** Columns, constraints and indexes of the public schema, one per line, sorted. */
  readonly schema: string;
  /** `package migration_id` of every applied migration, sorted. */
  readonly applied: readonly string[];
  /** The tools catalog, one row per line. */
  readonly tools: string;
}

// The engine's lock key (@ydtb/db-migrate withMigrationLock), split as pg_locks shows it.
const LOCK_HELD = `SELECT count(*)::int AS n FROM pg_locks l, (SELECT hashtextextended(current_database() || ':ydtb_schema_history', 0) AS k) s
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = ((s.k >> 32) & 4294967295)::oid AND l.objid = (s.k & 4294967295)::oid`;

/** True while some session holds the migration lock of this database (server only). */
export async function lockHeld(db: Database): Promise<boolean> {
  if (db.kind === "pglite") return false; // one process at a time: the directory claim is the lock
  const [row] = await db.query<{ n: number }>(LOCK_HELD);
  return (row?.n ?? 0) > 0;
}

async function tableExists(db: Database, table: string): Promise<boolean> {
  const [row] = await db.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [`public.${table}`]);
  return row?.ok === true;
}

/** `package migration_id` of the applied migrations (none before the bookkeeping tables exist). */
export async function appliedMigrations(db: Database): Promise<string[]> {
  if (!(await tableExists(db, "ydtb_schema_migrations"))) return [];
  const rows = await db.query<{ m: string }>(`SELECT "package" || ' ' || "migration_id" AS m FROM ydtb_schema_migrations ORDER BY 1`);
  return rows.map((r) => r.m);
}

/**
 * What is wrong between the history and the catalog: a recorded migration of the generated
 * package whose table is missing, or an unrecorded one whose table exists. Empty when they agree.
 */
export async function historyVersusCatalog(db: Database, pkg: ChaosPackage): Promise<string[]> {
  const applied = new Set(await appliedMigrations(db));
  const problems: string[] = [];
  for (const m of pkg.migrations) {
    const recorded = applied.has(`${CHAOS_PACKAGE} ${m.id}`);
    const exists = await tableExists(db, m.table);
    if (recorded && !exists) problems.push(`${m.id} is recorded but its table ${m.table} is missing`);
    if (!recorded && exists) problems.push(`${m.id} is not recorded but its table ${m.table} exists`);
  }
  return problems;
}

/** Migrations the history records as applied more than once (each `up` must be recorded once on a fresh database). */
export async function recordedTwice(db: Database): Promise<string[]> {
  if (!(await tableExists(db, "ydtb_schema_history"))) return [];
  const rows = await db.query<{ m: string; n: number }>(
    `SELECT "package" || ' ' || "migration_id" AS m, count(*)::int AS n FROM ydtb_schema_history WHERE direction = 'up' GROUP BY 1 HAVING count(*) > 1 ORDER BY 1`,
  );
  return rows.map((r) => `${r.m} recorded ${r.n} times`);
}

/** The database's schema, applied migrations and tools. */
export async function snapshot(db: Database): Promise<Snapshot> {
  const schema = await db.query<{ line: string }>(`
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    ORDER BY 1`);
  const tools = (await tableExists(db, "ydtb_tools"))
    ? await db.query<{ line: string }>(`SELECT concat_ws(' | ', id, package_name, name, description, icon, is_active::text) AS line FROM ydtb_tools ORDER BY id`)
    : [];
  return { schema: schema.map((r) => r.line).join("\n"), applied: await appliedMigrations(db), tools: tools.map((r) => r.line).join("\n") };
}

/** How `actual` differs from `expected`, in words (empty when equal). */
export function compareSnapshots(actual: Snapshot, expected: Snapshot): string[] {
  const problems: string[] = [];
  if (actual.schema !== expected.schema) {
    const a = new Set(actual.schema.split("\n"));
    const e = new Set(expected.schema.split("\n"));
    const missing = [...e].filter((l) => !a.has(l));
    const extra = [...a].filter((l) => !e.has(l));
    problems.push(`schema differs from a single migrator's: missing ${JSON.stringify(missing.slice(0, 3))}, extra ${JSON.stringify(extra.slice(0, 3))}`);
  }
  if (actual.applied.join("\n") !== expected.applied.join("\n")) problems.push(`applied migrations differ: ${actual.applied.length} vs ${expected.applied.length}`);
  if (actual.tools !== expected.tools) problems.push(`ydtb_tools differs from a single boot's:\n${actual.tools}\n--- expected ---\n${expected.tools}`);
  return problems;
}
