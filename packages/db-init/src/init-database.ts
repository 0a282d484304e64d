import type { Database } from "@ydtb/db-client";
import {
  createRegistry,
  discoverDatabases,
  DiscoveryError,
  RegistryError,
  type DatabaseManifest,
  type DiscoveryResult,
  type Diagnostic,
  type ExemptedDiagnostic,
  type Registry,
} from "@ydtb/db-registry";
import { validateManifests } from "@ydtb/db-validate";
import { migrate, MigrateError, type MigrateOptions, type MigrationRunResult } from "@ydtb/db-migrate";
import { InitError } from "./errors.ts";
import { ensureExtensions } from "./ensure-extensions.ts";
import { InitFailedError, ValidationFailedError } from "./errors.ts";
import type { InitReport, Phase, ReportedStep } from "./init-report.ts";
import { syncTools, type ToolSyncResult } from "@ydtb/db-core";
import { checkStamp, recordStamp, stampedMigration } from "./stamp/init-stamp.ts";
import { stampReport } from "./stamp/stamp-report.ts";

/** Options of {@link initDatabase}. Give `rootDir` (discovery) or `registry` / `manifests`. */
export interface InitOptions {
  readonly db: Database;
  /** The monorepo root: every workspace package with `src/database.ts` is discovered. */
  readonly rootDir?: string;
  /** An already filled registry (its manifests are validated again, cheaply). */
  readonly registry?: Registry;
  /**
   * What `discoverDatabases(rootDir)` already returned, when the caller discovered first (the app
   * on PGlite reads the manifests' extensions before opening the database): used as the discovery
   * phase's result, failures included, instead of discovering the same packages again.
   */
  readonly discovered?: DiscoveryResult;
  /** Manifests to register instead of discovering. */
  readonly manifests?: readonly DatabaseManifest[];
  /** Default {@link DEFAULT_INIT_MODE}. Development prints warnings and allows re-registration. */
  readonly mode?: "development" | "production";
  /** Passed to the migration engine (target, all-or-nothing mode, lock timeout, dry run…). */
  readonly migrate?: Omit<MigrateOptions, "onProgress">;
  /** Progress of long runs: called for each migration step. */
  readonly onProgress?: MigrateOptions["onProgress"];
  /** Sync manifest tools into `ydtb_tools`. Default true. */
  readonly syncTools?: boolean;
  /**
   * True when `manifests` is only some of the registered packages (`ydtb-db migrate --package`):
   * tools of packages not given are then left as they are instead of being deactivated.
   */
  readonly partial?: boolean;
}

/** Default pipeline mode. */
export const DEFAULT_INIT_MODE = "production";

/** What a successful {@link initDatabase} returns. */
export interface InitResult {
  readonly report: InitReport;
  readonly registry: Registry;
  readonly migration: MigrationRunResult;
}

/**
 * The pipeline every app start runs: discover → register → validate → plan → migrate (under
 * the lock) → sync versions and tools → report. Throws one `InitFailedError` carrying the
 * report on a discovery, validation or migration failure; never reports success on a partial run.
 *
 * @example
 * const db = await openDatabase({ url: process.env.DATABASE_URL });
 * const { report } = await initDatabase({ db, rootDir: process.cwd() });
 * console.log(formatInitReport(report));
 */
export async function initDatabase(options: InitOptions): Promise<InitResult> {
  const mode = options.mode ?? DEFAULT_INIT_MODE;
  const started = performance.now();
  const ms: Partial<Record<Phase | "total", number>> = {};
  let phaseStart = started;
  const endPhase = (phase: Phase) => {
    const now = performance.now();
    ms[phase] = Math.round((now - phaseStart) * 10) / 10;
    phaseStart = now;
  };

  const state: {
    manifests: readonly DatabaseManifest[];
    discoveryFailures: InitReport["discoveryFailures"];
    errors: Diagnostic[];
    warnings: Diagnostic[];
    exempted: ExemptedDiagnostic[];
    migration?: MigrationRunResult;
    steps: readonly ReportedStep[];
    tools?: ToolSyncResult;
  } = { manifests: [], discoveryFailures: [], errors: [], warnings: [], exempted: [], steps: [] };

  const report = (failure?: { phase: Phase; error: unknown }): InitReport => {
    ms.total = Math.round((performance.now() - started) * 10) / 10;
    const versions = new Map(state.migration?.versions.map((v) => [v.package, v.databaseVersion]) ?? []);
    const code = (failure?.error as { code?: unknown } | undefined)?.code;
    return {
      ok: !failure,
      database: options.db.label,
      mode,
      ...(failure
        ? {
            failedPhase: failure.phase,
            error: { code: typeof code === "string" ? code : "UNEXPECTED", message: failure.error instanceof Error ? failure.error.message : String(failure.error) },
          }
        : {}),
      packages: state.manifests.map((m) => ({
        name: m.packageName,
        version: m.version,
        databaseVersion: versions.get(m.packageName) ?? null,
        tables: m.tables.length,
        ...(m.source ? { source: m.source } : {}),
      })),
      discoveryFailures: state.discoveryFailures,
      errors: state.errors,
      warnings: state.warnings,
      exempted: state.exempted,
      steps: state.steps,
      ahead: state.migration?.plan.ahead ?? [],
      heldBack: state.migration?.plan.heldBack ?? [],
      applied: state.steps.filter((s) => s.status === "applied").length,
      skipped: state.steps.filter((s) => s.status === "skipped").length,
      ...(state.tools ? { tools: state.tools } : {}),
      queryCount: state.migration?.queryCount ?? 0,
      ms: { ...ms },
    };
  };
  const fail = (phase: Phase, error: unknown, summary: string): never => {
    throw new InitFailedError(report({ phase, error }), summary, { cause: error });
  };

  // discover
  let manifests: readonly DatabaseManifest[];
  if (options.registry) manifests = options.registry.list();
  else if (options.manifests) manifests = options.manifests;
  else if (options.rootDir) {
    const found = options.discovered ?? (await discoverDatabases(options.rootDir));
    manifests = found.manifests;
    state.discoveryFailures = found.failures.map((f) => ({ package: f.packageName, file: f.file, message: f.message }));
    if (found.failures.length > 0) {
      state.manifests = manifests;
      endPhase("discover");
      // One error naming every failed package; each failure's own cause travels with it.
      fail("discover", new DiscoveryError(found.failures), `${found.failures.map((f) => `"${f.packageName}"`).join(", ")} failed to load: nothing was migrated`);
    }
  } else throw new TypeError("initDatabase needs rootDir, registry or manifests");
  state.manifests = manifests;
  endPhase("discover");

  // register: duplicate names and table conflicts. Validation runs next, over the whole set,
  // so one report holds every package's problems.
  const registry = options.registry ?? createRegistry({ mode });
  if (!options.registry) {
    try {
      for (const m of manifests) registry.registerDatabase(m);
    } catch (error) {
      endPhase("register");
      if (error instanceof RegistryError) fail("register", error, error.message);
      throw error;
    }
  }
  endPhase("register");

  // The boot stamp: when the state and the inputs are those a full boot last found nothing to do
  // for, that answer stands (one query) and validation, loading, planning and sync are skipped.
  const stamp = await checkStamp(options.db, manifests, options, mode);
  if (stamp.answer) {
    endPhase("migrate");
    ms.total = Math.round((performance.now() - started) * 10) / 10;
    const stamped = stampReport(stamp.answer, options.db.label, { ...ms });
    return { report: stamped, registry, migration: stampedMigration(stamp.answer, ms.migrate ?? 0) };
  }

  // validate
  const validation = validateManifests(manifests);
  for (const pkg of validation.packages) {
    for (const d of pkg.diagnostics) (d.severity === "error" ? state.errors : state.warnings).push(d);
    state.exempted.push(...pkg.exempted);
  }
  endPhase("validate");
  if (state.errors.length > 0) {
    const error = new ValidationFailedError(state.errors);
    fail("validate", error, error.message);
  }

  // extensions, then plan + migrate, under the lock
  try {
    await ensureExtensions(options.db, manifests, {
      ...(options.migrate?.dryRun ? { dryRun: true } : {}),
      ...(options.migrate?.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.migrate.lockTimeoutMs } : {}),
      ...(options.migrate?.historyTable ? { historyTable: options.migrate.historyTable } : {}),
    });
    // In development files change under the running app: read them every time rather than trust
    // fingerprints, so an edited applied migration is refused at once, not at the next validate.
    const fingerprints = mode !== "development";
    state.migration = await migrate(options.db, manifests, { fingerprints, ...options.migrate, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    state.steps = state.migration.steps.map(toReported);
  } catch (error) {
    const partial = (error as { result?: MigrationRunResult }).result;
    if (partial) {
      state.migration = partial;
      state.steps = partial.steps.map(toReported);
    }
    endPhase("migrate");
    if (error instanceof MigrateError || error instanceof InitError) fail("migrate", error, error.message);
    throw error;
  }
  endPhase("migrate");

  // sync: package versions are recorded by the engine in the same run; tools here.
  if (options.syncTools !== false && !options.migrate?.dryRun) {
    try {
      // A package the database is ahead of keeps the tools the later release synced.
      const ahead = new Set(state.migration.plan.ahead.map((a) => a.package));
      const current = manifests.filter((m) => !ahead.has(m.packageName));
      state.tools = await syncTools(options.db.orm, current, { scope: options.partial || ahead.size > 0 ? "listed" : "all" });
    } catch (error) {
      endPhase("sync");
      fail("sync", error, `syncing tools failed: ${(error as Error).message}`);
    }
  }
  endPhase("sync");
  await recordStamp(options.db, manifests, stamp, report(), state.migration, options.migrate?.historyTable);
  return { report: report(), registry, migration: state.migration };
}

function toReported(step: MigrationRunResult["steps"][number]): ReportedStep {
  return {
    package: step.package,
    id: step.id,
    direction: step.direction,
    status: step.status,
    ms: Math.round(step.ms * 10) / 10,
    ...(step.error ? { error: step.error.message } : {}),
  };
}
