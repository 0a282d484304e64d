import { createContext } from "./context.ts";
import { badEndpoints } from "./scenarios-endpoints.ts";
import { killAndRestartPglite } from "./scenarios-pglite.ts";
import { cutConnection, killDuringStatement, killMigrator, racingApps, racingMigrators } from "./scenarios-server.ts";
import { seededRandom, type TrialResult } from "./trial.ts";

/** How much chaos: trial counts per scenario. */
export interface ChaosConfig {
  /** Sizes of the racing `ydtb-db migrate` rounds, e.g. [8, 16, 32]. */
  readonly racingMigrators: readonly number[];
  /** Sizes of the racing app-boot rounds. */
  readonly racingApps: readonly number[];
  readonly killTrials: number;
  readonly pgliteKillTrials: number;
  /** Connection cuts, each on the command line and on an app boot, and a SIGKILL during a long statement. */
  readonly cutTrials: number;
  readonly badEndpoints: boolean;
  /** Migrations in the generated package. */
  readonly migrations: number;
  /**
   * Run bad endpoints and PGlite beside the server scenarios (short run: less wall time). The long
   * run keeps them apart, so 32 racing processes cannot slow the endpoint timings.
   */
  readonly parallel: boolean;
  /** Seed of the kill points. */
  readonly seed: number;
}

/** The full run of `bun run chaos`: 3 rounds of 8/16/32 migrators and of 8 apps, 24 kills, 3 cuts… */
export const LONG_CHAOS: Omit<ChaosConfig, "seed"> = {
  racingMigrators: [8, 16, 32, 8, 16, 32, 8, 16, 32],
  racingApps: [8, 8, 8],
  killTrials: 24,
  pgliteKillTrials: 8,
  cutTrials: 3,
  badEndpoints: true,
  migrations: 24,
  parallel: false,
};

/** The short run inside `bun run test`: one of each (two kills: at a random point, and during a long statement). */
export const SHORT_CHAOS: Omit<ChaosConfig, "seed"> = {
  racingMigrators: [8],
  racingApps: [3],
  killTrials: 1,
  pgliteKillTrials: 1,
  cutTrials: 1,
  badEndpoints: true,
  migrations: 12,
  parallel: true,
};

/** Trials, passed and failed of one scenario. */
export interface ScenarioSummary {
  readonly scenario: string;
  readonly kind: "postgres" | "pglite";
  readonly trials: number;
  readonly passed: number;
  readonly failed: number;
  /** Largest measured figure (ms) over its trials. */
  readonly maxMs: number;
  /** Kills only: how many landed before the generated migrations, among them, and after them all. */
  readonly landed?: { readonly before: number; readonly among: number; readonly after: number };
  readonly problems: readonly string[];
}

/**
 * Runs the fault-injection scenarios and returns one summary per scenario. Server scenarios run
 * when `serverUrl` is set; PGlite ones always.
 *
 * @example
 * const summaries = await runChaos({ ...SHORT_CHAOS, seed: 42 }, process.env.DATABASE_URL, console.log);
 */
export async function runChaos(config: ChaosConfig, serverUrl: string | undefined, log: (line: string) => void = () => undefined): Promise<ScenarioSummary[]> {
  const random = seededRandom(config.seed);
  const ctx = await createContext({ serverUrl, migrations: config.migrations });
  const results: TrialResult[] = [];
  const record = (r: TrialResult) => {
    results.push(r);
    const landed = r.killedAfter === undefined ? "" : ` (killed after ${r.killedAfter}/${config.migrations} generated migrations)`;
    log(`${r.ok ? "pass" : "FAIL"}  ${r.scenario} [${r.kind}] ${r.ms} ms${landed}${r.ok ? "" : `\n      ${r.problems.join("\n      ")}`}`);
  };
  // Three lanes: bad endpoints and PGlite trials mostly wait (connect timeouts, PGlite's start-up),
  // so the short run puts them beside the server scenarios.
  const serverLane = async () => {
    if (!serverUrl) return;
    for (const n of config.racingMigrators) record(await racingMigrators(ctx, n));
    for (const n of config.racingApps) record(await racingApps(ctx, n));
    for (let i = 0; i < config.killTrials; i++) record(await killMigrator(ctx, serverPoints[i]!));
    for (let i = 0; i < config.cutTrials; i++) {
      record(await cutConnection(ctx, "ydtb-db migrate"));
      record(await cutConnection(ctx, "app boot"));
      record(await killDuringStatement(ctx));
    }
  };
  const endpointLane = async () => {
    if (serverUrl && config.badEndpoints) for (const r of await badEndpoints(ctx)) record(r);
  };
  const pgliteLane = async () => {
    for (let i = 0; i < config.pgliteKillTrials; i++) record(await killAndRestartPglite(ctx, pglitePoints[i]!));
  };
  // Drawn up front: the seed fixes every kill point whatever order the lanes finish in.
  const serverPoints = Array.from({ length: config.killTrials }, random);
  const pglitePoints = Array.from({ length: config.pgliteKillTrials }, random);
  try {
    if (config.parallel) await Promise.all([serverLane(), endpointLane(), pgliteLane()]);
    else for (const lane of [endpointLane, serverLane, pgliteLane]) await lane();
  } finally {
    await ctx.dispose();
  }
  return summarize(results, config.migrations);
}

function summarize(results: readonly TrialResult[], migrations: number): ScenarioSummary[] {
  const byScenario = new Map<string, TrialResult[]>();
  for (const r of results) {
    const key = `${r.scenario}\u0000${r.kind}`;
    byScenario.set(key, [...(byScenario.get(key) ?? []), r]);
  }
  return [...byScenario.values()].map((trials) => ({
    scenario: trials[0]!.scenario,
    kind: trials[0]!.kind,
    trials: trials.length,
    passed: trials.filter((t) => t.ok).length,
    failed: trials.filter((t) => !t.ok).length,
    maxMs: Math.max(...trials.map((t) => t.ms)),
    problems: trials.flatMap((t) => t.problems),
    ...landedOf(trials, migrations),
  }));
}

function landedOf(trials: readonly TrialResult[], all: number): Pick<ScenarioSummary, "landed"> {
  const points = trials.map((t) => t.killedAfter).filter((n): n is number => n !== undefined);
  if (points.length === 0) return {};
  return { landed: { before: points.filter((n) => n === 0).length, among: points.filter((n) => n > 0 && n < all).length, after: points.filter((n) => n === all).length } };
}

/** The summaries as a table: scenario, database, trials, passed, failed, max ms. */
export function formatSummary(summaries: readonly ScenarioSummary[]): string {
  const head = `${"scenario".padEnd(48)} ${"database".padEnd(9)} ${"trials".padStart(6)} ${"passed".padStart(6)} ${"failed".padStart(6)} ${"max ms".padStart(8)}`;
  const rows = summaries.map((s) => `${s.scenario.padEnd(48)} ${s.kind.padEnd(9)} ${String(s.trials).padStart(6)} ${String(s.passed).padStart(6)} ${String(s.failed).padStart(6)} ${String(s.maxMs).padStart(8)}`);
  const kills = summaries.filter((s) => s.landed).map((s) => `${s.scenario} [${s.kind}]: ${s.landed!.before} before the generated migrations, ${s.landed!.among} among them, ${s.landed!.after} after all of them`);
  const total = summaries.reduce((a, s) => ({ trials: a.trials + s.trials, passed: a.passed + s.passed, failed: a.failed + s.failed }), { trials: 0, passed: 0, failed: 0 });
  return [head, ...rows, `${"total".padEnd(48)} ${"".padEnd(9)} ${String(total.trials).padStart(6)} ${String(total.passed).padStart(6)} ${String(total.failed).padStart(6)}`, ...kills.map((k) => `kills landed — ${k}`)].join("\n");
}
