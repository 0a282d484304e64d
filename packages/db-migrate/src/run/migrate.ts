import type { Connection, Database } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { DatabaseAheadError, NonTransactionalInAllModeError, PlanConflictError } from "../errors/plan-errors.ts";
import { MigrationFailedError } from "../errors/run-errors.ts";
import { buildPackageGraph, topologicalOrder } from "../graph/package-graph.ts";
import { historyTableNames, type HistoryTableNames } from "../history/history-schema.ts";
import { ensureHistoryTables, historyTablesExist, readApplied, readVersionRows, writeVersionRows } from "../history/history-store.ts";
import { loadMigrations, loadPackageMigrations } from "../load/load-migrations.ts";
import { loadFromFingerprint } from "../load/migrations-fingerprint.ts";
import type { LoadedPackage } from "../model/loaded-package.ts";
import type { MigrationPlan } from "../model/plan-types.ts";
import type { MigrationRunResult, PackageVersionState, StepError, StepResult } from "../model/run-result.ts";
import { AppliedState, versionStatesOf } from "../plan/applied-state.ts";
import { planRun, type RunDecision } from "../plan/plan-run.ts";
import { defaultAppliedBy } from "./applied-by.ts";
import type { QueryCounter } from "./counting-session.ts";
import { executeAll } from "./execute-all.ts";
import { executePerMigration } from "./execute-per-migration.ts";
import { DEFAULT_MIGRATE_MODE, DEFAULT_TRUST_FINGERPRINTS, type MigrateOptions } from "./migrate-options.ts";
import { withMigrationLock } from "./migration-lock.ts";
import { prepareSteps } from "./prepare-steps.ts";
import type { BlockerProbe } from "./lock-retries.ts";
import { stepResult, type RunContext } from "./step-records.ts";

/**
 * Brings the database to `target` under the migration lock: load → graph → plan → prepare
 * (PostgreSQL's parser, only when there are steps) → execute → history, then records each
 * package's schema version. The planner first answers from the versions table alone; a run
 * with nothing to do sends 4 queries on PostgreSQL and 2 on PGlite whatever the history length,
 * and never loads the SQL parser (see `queryCount`, `fastPath`).
 *
 * Throws before anything runs: load errors, graph errors, `SqlMigrationError` (syntax,
 * transaction control, misplaced non-transactional or non-idempotent statements anywhere in the
 * plan), `PlanConflictError`, the plan's refusals, `NonTransactionalInAllModeError`,
 * `LockTimeoutError`, and with `strictVersions` `DatabaseAheadError`. Throws
 * `MigrationFailedError` with a frozen `result` when a migration fails: its transaction is
 * rolled back, a failed attempt is recorded, nothing after it runs (code
 * `MIGRATION_LOCK_TIMEOUT` when every attempt timed out waiting for a table lock).
 *
 * A database ahead of the code (an older release booting during a rolling deploy) is not
 * migrated for those packages: `result.plan.ahead` / `heldBack` say which, and their versions
 * rows are left as the later release wrote them.
 *
 * @example
 * const result = await migrate(db, registry.list());
 * console.log(`${result.applied} applied in ${result.ms} ms`);
 * await migrate(db, registry.list(), { target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" }, cascade: true });
 */
export async function migrate(db: Database, manifests: readonly DatabaseManifest[], options: MigrateOptions = {}): Promise<MigrationRunResult> {
  const started = performance.now();
  // Fingerprints stand in for the files until the plan turns out to have work: then every file
  // is read and checked (reload), so what runs and what is refused never rest on a fingerprint.
  const trusted = options.fingerprints ?? DEFAULT_TRUST_FINGERPRINTS;
  const packages = trusted ? manifests.map((m) => loadFromFingerprint(m) ?? loadPackageMigrations(m)) : loadMigrations(manifests);
  const reload = () => loadMigrations(manifests);
  const order = topologicalOrder(buildPackageGraph(packages)); // graph errors before taking the lock
  const tables = historyTableNames(options.historyTable);
  const counter: QueryCounter = { count: 0 };
  // Counted after the unlock, so the lock's own round trips are in the figure.
  const complete = (run: LockedRun): MigrationRunResult => ({ ...run.result, queryCount: counter.count, ms: performance.now() - started });
  const failed = (run: LockedRun, failure: StepError) => new MigrationFailedError(failure.failure, { cause: failure.cause, result: complete(run) });
  let run: LockedRun | undefined;
  try {
    await withMigrationLock(db, { lockTimeoutMs: options.lockTimeoutMs, historyTable: tables.history, counter }, async (conn) => {
      run = await migrateLocked(conn, { db, packages, reload: trusted ? reload : undefined, order, tables, options });
      // A failed run fails the locked work: a release that fails too then keeps it (LockReleaseError.runError).
      if (run.failure) throw failed(run, run.failure);
    });
  } catch (error) {
    // The failure thrown under the lock: rethrown with the figures that include the unlock.
    if (run?.failure && error instanceof MigrationFailedError && error.failure === run.failure.failure) throw failed(run, run.failure);
    throw error;
  }
  return complete(run!);
}

type LockedRun = Awaited<ReturnType<typeof migrateLocked>>;

interface LockedInput {
  readonly db: Database;
  readonly packages: readonly LoadedPackage[];
  /** Reads every file when `packages` came from fingerprints and the summary did not settle the run. */
  readonly reload: (() => readonly LoadedPackage[]) | undefined;
  readonly order: readonly string[];
  readonly tables: HistoryTableNames;
  readonly options: MigrateOptions;
}

async function migrateLocked(conn: Connection, input: LockedInput): Promise<{ result: MigrationRunResult; failure?: StepError }> {
  const { order, tables, options } = input;
  let packages = input.packages;
  const dryRun = options.dryRun ?? false;
  const exists = dryRun ? await historyTablesExist(conn, tables) : (await ensureHistoryTables(conn, tables), true);
  const plannerInput = () => ({ packages, order, target: options.target, cascade: options.cascade, allowOutOfOrder: options.allowOutOfOrder });

  // The planner answers from the versions summary when it can (the no-op); else from the applied set.
  const first: RunDecision = exists ? planRun({ ...plannerInput(), state: { kind: "summary", versions: await readVersionRows(conn, tables) } }) : { kind: "needs-applied" };
  // Work to do (or a checksum to check): plan from the files themselves, not their fingerprints.
  if (first.kind === "needs-applied" && input.reload) packages = input.reload();
  const applied = first.kind === "needs-applied" && exists ? await readApplied(conn, tables) : [];
  const decision = first.kind === "plan" ? first : planRun({ ...plannerInput(), state: { kind: "applied", applied } });
  const { plan } = decision;
  const finish = (steps: readonly StepResult[], versions: readonly PackageVersionState[]): MigrationRunResult => ({
    plan,
    steps,
    applied: steps.filter((s) => s.status === "applied").length,
    skipped: steps.filter((s) => s.status === "skipped").length,
    failed: steps.filter((s) => s.status === "failed").length,
    queryCount: 0, // set by migrate() once the lock is released
    ms: 0,
    versions,
    dryRun,
    fastPath: decision.fromSummary,
  });
  if (decision.fromSummary) return { result: finish([], versionStatesOf(decision.versions ?? [], order)) };

  refuseUnrunnable(plan, options);
  // Packages the database is ahead of keep the summary the later release wrote.
  const current = packages.filter((p) => !plan.ahead.some((a) => a.package === p.packageName));
  const prepared = await prepareSteps(plan.steps, packages);
  const state = AppliedState.from(applied);
  if (dryRun) return { result: finish(plan.steps.map((s) => stepResult(s, "skipped", 0)), trueVersions(state.versionStates(packages, order), plan)) };

  const ctx: RunContext = {
    conn,
    tables,
    appliedBy: options.appliedBy ?? defaultAppliedBy(),
    onProgress: options.onProgress,
    packages,
    lockWait: {
      ...(options.migrationLockTimeoutMs !== undefined ? { lockTimeoutMs: options.migrationLockTimeoutMs } : {}),
      ...(options.lockRetries !== undefined ? { retries: options.lockRetries } : {}),
      ...(options.lockRetryBackoffMs !== undefined ? { backoffMs: options.lockRetryBackoffMs } : {}),
      ...(options.statementTimeoutMs !== undefined ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
    },
    ...(await blockerProbe(input.db, conn, prepared)),
  };
  const steps = (options.mode ?? DEFAULT_MIGRATE_MODE) === "all" ? await executeAll(ctx, prepared, state) : await executePerMigration(ctx, prepared, state);
  const failure = steps.find((s) => s.status === "failed")?.error;
  try {
    await writeVersionRows(conn, tables, state.versionRows(current));
  } catch (error) {
    if (!failure) throw error;
    // The migration's failure is what the caller must see; the versions rows are a summary the
    // planner re-checks (a stale one only costs the next boot a full read) and are rewritten then.
  }
  return { result: finish(steps, trueVersions(state.versionStates(packages, order), plan)), ...(failure ? { failure } : {}) };
}

function refuseUnrunnable(plan: MigrationPlan, options: MigrateOptions): void {
  if (plan.conflicts.length > 0) throw new PlanConflictError(plan.conflicts);
  if (options.strictVersions && plan.ahead.length > 0) throw new DatabaseAheadError(plan.ahead);
  if ((options.mode ?? DEFAULT_MIGRATE_MODE) === "all") {
    const outside = plan.steps.filter((s) => !s.transaction);
    if (outside.length > 0) throw new NonTransactionalInAllModeError(outside);
  }
}

// Server only (PGlite has one connection: nothing else can hold a lock): the locked
// connection's backend pid, so a waiting migration's blockers can be read from the pool.
async function blockerProbe(db: Database, conn: Connection, prepared: readonly { readonly step: { readonly transaction: boolean } }[]): Promise<{ probe?: BlockerProbe }> {
  if (db.kind !== "postgres" || !prepared.some((p) => p.step.transaction)) return {};
  const [row] = await conn.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return row ? { probe: { db, pid: row.pid } } : {};
}

// What the code computes for a package the database is ahead of is this code's idea; the
// database's version is the later release's.
function trueVersions(states: readonly PackageVersionState[], plan: MigrationPlan): PackageVersionState[] {
  return states.map((s) => {
    const ahead = plan.ahead.find((a) => a.package === s.package);
    return ahead ? { ...s, databaseVersion: ahead.databaseVersion } : s;
  });
}
