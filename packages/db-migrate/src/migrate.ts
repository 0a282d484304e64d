import type { Connection, Database, SqlSession } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { migrationDigest } from "./checksum.ts";
import type { QueryCounter } from "./counting-session.ts";
import { MigrationFailedError, NonTransactionalInAllModeError, PlanConflictError } from "./errors.ts";
import {
  defaultAppliedBy,
  ensureHistoryTables,
  historyTableNames,
  historyTablesExist,
  readApplied,
  readVersionRows,
  recordFailure,
  recordStep,
  writeVersionRows,
  type HistoryTableNames,
  type PackageVersionRow,
} from "./history-tables.ts";
import type { LoadedMigration, LoadedPackage } from "./loaded-package.ts";
import { loadMigrations } from "./load-migrations.ts";
import { withMigrationLock } from "./migration-lock.ts";
import { buildPackageGraph, topologicalOrder } from "./package-graph.ts";
import { DEFAULT_TARGET, planMigrations, type AppliedMigration, type MigrationPlan, type MigrationTarget, type PlanStep } from "./plan-migrations.ts";
import { postgresError, runMigration } from "./run-migration.ts";
import { schemaVersionOf } from "./schema-version.ts";

/** How a run uses transactions. */
export type MigrateMode = "per-migration" | "all";

/** Default {@link MigrateMode}: one transaction per migration. */
export const DEFAULT_MIGRATE_MODE: MigrateMode = "per-migration";

/** A step starting or finishing, for progress output. */
export interface ProgressEvent {
  /** 0-based position in the plan. */
  readonly index: number;
  readonly total: number;
  readonly status: "running" | "applied" | "failed" | "skipped";
  readonly direction: "up" | "down";
  readonly package: string;
  readonly id: string;
  /** Set once the step finished. */
  readonly ms?: number;
}

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Default `{ kind: "latest" }`. */
  readonly target?: MigrationTarget;
  /**
   * `"per-migration"` (default, {@link DEFAULT_MIGRATE_MODE}): each migration in its own
   * transaction; a failure keeps the ones before it. `"all"`: the whole plan in one
   * transaction; a failure keeps nothing (refused up front if a step cannot run in a transaction).
   */
  readonly mode?: MigrateMode;
  /** Undo dependents a rollback would break instead of refusing. Default false. */
  readonly cascade?: boolean;
  /** Apply new migrations ordered before applied ones. Default false. */
  readonly allowOutOfOrder?: boolean;
  /** Plan under the lock, change nothing (not even the bookkeeping tables). Default false. */
  readonly dryRun?: boolean;
  /** Default `DEFAULT_LOCK_TIMEOUT_MS` (60 s). */
  readonly lockTimeoutMs?: number;
  /** Recorded in the history. Default `user@host pid N`. */
  readonly appliedBy?: string;
  /** Default `HISTORY_TABLE` (`ydtb_schema_history`); also names the lock. */
  readonly historyTable?: string;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** What happened to one step. */
export interface StepResult {
  readonly package: string;
  readonly id: string;
  readonly version: string | null;
  readonly direction: "up" | "down";
  readonly reason: string;
  /** `skipped`: not run (dry run, after a failure, or rolled back with the whole plan in mode "all"). */
  readonly status: "applied" | "failed" | "skipped";
  readonly ms: number;
  readonly error?: MigrationFailedError;
}

/** A package's versions after a run. */
export interface PackageVersionState {
  readonly package: string;
  readonly codeVersion: string;
  /** The schema version in the database (highest released version fully applied), or null. */
  readonly databaseVersion: string | null;
  readonly appliedCount: number;
}

/** What {@link migrate} did. A failed run throws `MigrationFailedError` whose `result` is this. */
export interface MigrationRunResult {
  readonly plan: MigrationPlan;
  readonly steps: readonly StepResult[];
  readonly applied: number;
  readonly skipped: number;
  readonly failed: number;
  /** Round trips the engine sent, the lock's included (a no-op run sends a handful, whatever the history length). */
  readonly queryCount: number;
  readonly ms: number;
  readonly versions: readonly PackageVersionState[];
  readonly dryRun: boolean;
  /** True when the versions table showed nothing to do and the history was not read. */
  readonly fastPath: boolean;
}

/**
 * Brings the database to `target` under the migration lock: load → graph → plan → execute →
 * history, then records each package's schema version. Running it again is a no-op that reads
 * one row per package (see `queryCount`).
 *
 * Throws before anything runs: load errors, graph errors, `PlanConflictError`, the plan's
 * refusals, `NonTransactionalInAllModeError`, `LockTimeoutError`. Throws
 * `MigrationFailedError` (with `.result`) when a migration fails: its transaction is rolled
 * back, a failed attempt is recorded in the history, nothing after it runs.
 *
 * @example
 * const result = await migrate(db, registry.list());
 * console.log(`${result.applied} applied in ${result.ms} ms`);
 * await migrate(db, registry.list(), { target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" }, cascade: true });
 */
export async function migrate(db: Database, manifests: readonly DatabaseManifest[], options: MigrateOptions = {}): Promise<MigrationRunResult> {
  const started = performance.now();
  const packages = loadMigrations(manifests);
  const order = topologicalOrder(buildPackageGraph(packages)); // graph errors before taking the lock
  const target = options.target ?? DEFAULT_TARGET;
  const tables = historyTableNames(options.historyTable);
  const counter: QueryCounter = { count: 0 };
  const dryRun = options.dryRun ?? false;

  const withCount = (r: MigrationRunResult): MigrationRunResult => ({ ...r, queryCount: counter.count });
  try {
    return withCount(await locked());
  } catch (error) {
    if (error instanceof MigrationFailedError && error.result) error.result = withCount(error.result);
    throw error;
  }

  function locked(): Promise<MigrationRunResult> {
    return withMigrationLock(db, { lockTimeoutMs: options.lockTimeoutMs, historyTable: tables.history, counter }, async (conn) => {
      const exists = dryRun ? await historyTablesExist(conn, tables) : (await ensureHistoryTables(conn, tables), true);
      const finish = (plan: MigrationPlan, steps: StepResult[], versions: PackageVersionState[], fastPath: boolean): MigrationRunResult => ({
        plan,
        steps,
        applied: steps.filter((s) => s.status === "applied").length,
        skipped: steps.filter((s) => s.status === "skipped").length,
        failed: steps.filter((s) => s.status === "failed").length,
        queryCount: counter.count, // completed with the unlock by withCount()
        ms: performance.now() - started,
        versions,
        dryRun,
        fastPath,
      });

      if (exists && target.kind === "latest") {
        const rows = await readVersionRows(conn, tables);
        if (upToDate(packages, rows)) {
          const byPackage = new Map(rows.map((r) => [r.package, r]));
          const versions = order.map((name) => {
            const row = byPackage.get(name)!;
            return { package: name, codeVersion: row.codeVersion, databaseVersion: row.schemaVersion, appliedCount: row.appliedCount };
          });
          return finish({ target, order, steps: [], conflicts: [] }, [], versions, true);
        }
      }

      const applied = exists ? await readApplied(conn, tables) : [];
      const plan = planMigrations({ packages, applied, target, cascade: options.cascade, allowOutOfOrder: options.allowOutOfOrder });
      if (plan.conflicts.length > 0) throw new PlanConflictError(plan.conflicts);
      const mode = options.mode ?? DEFAULT_MIGRATE_MODE;
      if (mode === "all") {
        const outside = plan.steps.filter((s) => !s.transaction);
        if (outside.length > 0) throw new NonTransactionalInAllModeError(outside);
      }
      const state = new AppliedState(applied);
      if (dryRun) {
        const steps = plan.steps.map((s) => ({ ...stepBase(s), status: "skipped" as const, ms: 0 }));
        return finish(plan, steps, versionStates(packages, order, state), false);
      }

      const run = { conn, tables, appliedBy: options.appliedBy ?? defaultAppliedBy(), onProgress: options.onProgress, packages };
      const steps = mode === "all" ? await executeAll(run, plan.steps, state) : await executePerMigration(run, plan.steps, state);
      const versions = versionStates(packages, order, state);
      const failed = steps.find((s) => s.status === "failed");
      try {
        await writeVersionRows(conn, tables, versionRows(packages, state));
      } catch (error) {
        if (!failed) throw error;
        // The migration failure is what the caller needs; the versions row is rewritten next run.
      }
      const result = finish(plan, steps, versions, false);
      if (failed?.error) {
        failed.error.result = result;
        throw failed.error;
      }
      return result;
    });
  }
}

interface Run {
  readonly conn: Connection;
  readonly tables: HistoryTableNames;
  readonly appliedBy: string;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly packages: readonly LoadedPackage[];
}

/** The applied set as it changes during a run. */
export class AppliedState {
  readonly byPackage = new Map<string, Map<string, string>>();
  constructor(applied: readonly AppliedMigration[]) {
    for (const a of applied) this.set(a.package, a.id, a.checksum);
  }
  set(pkg: string, id: string, checksum: string) {
    let m = this.byPackage.get(pkg);
    if (!m) this.byPackage.set(pkg, (m = new Map()));
    m.set(id, checksum);
  }
  delete(pkg: string, id: string) {
    this.byPackage.get(pkg)?.delete(id);
  }
  of(pkg: string): Map<string, string> {
    return this.byPackage.get(pkg) ?? new Map();
  }
  apply(step: PlanStep, m: LoadedMigration) {
    if (step.direction === "up") this.set(step.package, step.id, m.checksum);
    else this.delete(step.package, step.id);
  }
}

function stepBase(s: PlanStep) {
  return { package: s.package, id: s.id, version: s.version, direction: s.direction, reason: s.reason };
}

function findMigration(packages: readonly LoadedPackage[], step: PlanStep): LoadedMigration {
  return packages.find((p) => p.packageName === step.package)!.migrations.find((m) => m.id === step.id)!;
}

async function record(session: SqlSession, run: Run, step: PlanStep, m: LoadedMigration, ms: number): Promise<void> {
  await recordStep(session, run.tables, { package: step.package, id: step.id, version: m.version, checksum: m.checksum, direction: step.direction, ms, appliedBy: run.appliedBy });
}

async function recordFailed(run: Run, step: PlanStep, m: LoadedMigration, ms: number, error: MigrationFailedError): Promise<void> {
  try {
    await recordFailure(run.conn, run.tables, { package: step.package, id: step.id, version: m.version, checksum: m.checksum, direction: step.direction, ms, appliedBy: run.appliedBy, error: error.message });
  } catch {
    // The connection may be gone (that may be the failure): the attempt is then not recorded.
  }
}

function asFailure(step: PlanStep, error: unknown): MigrationFailedError {
  if (error instanceof MigrationFailedError) return error;
  const pg = postgresError(error);
  return new MigrationFailedError(
    { package: step.package, id: step.id, direction: step.direction, ...(pg ? { pgCode: pg.code } : {}), pgMessage: `recording it failed: ${pg?.message ?? (error as Error)?.message ?? String(error)}` },
    { cause: error },
  );
}

async function executePerMigration(run: Run, plan: readonly PlanStep[], state: AppliedState): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const total = plan.length;
  let stopped = false;
  for (const [index, step] of plan.entries()) {
    const event = { index, total, direction: step.direction, package: step.package, id: step.id };
    if (stopped) {
      results.push({ ...stepBase(step), status: "skipped", ms: 0 });
      run.onProgress?.({ ...event, status: "skipped" });
      continue;
    }
    run.onProgress?.({ ...event, status: "running" });
    const m = findMigration(run.packages, step);
    const t0 = performance.now();
    try {
      if (step.transaction) {
        await run.conn.transaction(async (tx) => {
          await runMigration(tx, m, step.direction);
          await record(tx, run, step, m, performance.now() - t0);
        });
      } else {
        await runMigration(run.conn, m, step.direction);
        await record(run.conn, run, step, m, performance.now() - t0);
      }
      const ms = performance.now() - t0;
      state.apply(step, m);
      results.push({ ...stepBase(step), status: "applied", ms });
      run.onProgress?.({ ...event, status: "applied", ms });
    } catch (error) {
      const ms = performance.now() - t0;
      const failure = asFailure(step, error);
      await recordFailed(run, step, m, ms, failure);
      results.push({ ...stepBase(step), status: "failed", ms, error: failure });
      run.onProgress?.({ ...event, status: "failed", ms });
      stopped = true;
    }
  }
  return results;
}

async function executeAll(run: Run, plan: readonly PlanStep[], state: AppliedState): Promise<StepResult[]> {
  const total = plan.length;
  const timings: number[] = [];
  let failedAt = -1;
  let failure: MigrationFailedError | undefined;
  if (plan.length > 0) {
    try {
      await run.conn.transaction(async (tx) => {
        for (const [index, step] of plan.entries()) {
          const event = { index, total, direction: step.direction, package: step.package, id: step.id };
          run.onProgress?.({ ...event, status: "running" });
          const m = findMigration(run.packages, step);
          const t0 = performance.now();
          try {
            await runMigration(tx, m, step.direction);
            await record(tx, run, step, m, performance.now() - t0);
          } catch (error) {
            failedAt = index;
            timings[index] = performance.now() - t0;
            failure = asFailure(step, error);
            run.onProgress?.({ ...event, status: "failed", ms: timings[index] });
            throw failure;
          }
          timings[index] = performance.now() - t0;
          run.onProgress?.({ ...event, status: "applied", ms: timings[index] });
        }
      });
    } catch (error) {
      if (!failure) {
        // COMMIT itself failed (e.g. a deferred constraint): blame the last step.
        failedAt = plan.length - 1;
        failure = asFailure(plan[failedAt]!, error);
      }
    }
  }
  if (!failure) {
    for (const step of plan) state.apply(step, findMigration(run.packages, step));
    return plan.map((step, i) => ({ ...stepBase(step), status: "applied", ms: timings[i] ?? 0 }));
  }
  const failedStep = plan[failedAt]!;
  await recordFailed(run, failedStep, findMigration(run.packages, failedStep), timings[failedAt] ?? 0, failure);
  return plan.map((step, i) =>
    i === failedAt
      ? { ...stepBase(step), status: "failed", ms: timings[i] ?? 0, error: failure }
      : // Before the failure: rolled back with the whole plan; after it: never run.
        { ...stepBase(step), status: "skipped", ms: timings[i] ?? 0 },
  );
}

function codeIds(pkg: LoadedPackage): Set<string> {
  return new Set(pkg.migrations.map((m) => m.id));
}

/** True when every package's versions row matches the code: nothing to apply, nothing to record. */
function upToDate(packages: readonly LoadedPackage[], rows: readonly PackageVersionRow[]): boolean {
  const byPackage = new Map(rows.map((r) => [r.package, r]));
  return packages.every((pkg) => {
    const row = byPackage.get(pkg.packageName);
    return (
      row !== undefined &&
      row.codeVersion === pkg.version &&
      row.appliedCount === pkg.migrations.length &&
      row.digest === migrationDigest(pkg.migrations) &&
      row.schemaVersion === schemaVersionOf(pkg, codeIds(pkg))
    );
  });
}

export function versionRows(packages: readonly LoadedPackage[], state: AppliedState): PackageVersionRow[] {
  return packages.map((pkg) => {
    const applied = state.of(pkg.packageName);
    return {
      package: pkg.packageName,
      schemaVersion: schemaVersionOf(pkg, new Set(applied.keys())),
      codeVersion: pkg.version,
      appliedCount: applied.size,
      digest: migrationDigest([...applied].map(([id, checksum]) => ({ id, checksum }))),
    };
  });
}

export function versionStates(packages: readonly LoadedPackage[], order: readonly string[], state: AppliedState): PackageVersionState[] {
  const rows = new Map(versionRows(packages, state).map((r) => [r.package, r]));
  return order.map((name) => {
    const r = rows.get(name)!;
    return { package: name, codeVersion: r.codeVersion, databaseVersion: r.schemaVersion, appliedCount: r.appliedCount };
  });
}
