import { CHAOS_PACKAGE } from "./generate-package.ts";
import type { ChaosContext } from "./context.ts";
import { STEP_SLEEP_S } from "./context.ts";
import { SLOW_SLEEP_SETTING, STEP_SLEEP_SETTING } from "./generate-package.ts";
import { startApp, startCli, waitFor } from "./processes.ts";
import { lockHeld } from "./checks.ts";
import { FAULT_EXIT_BOUND_MS, generatedApplied, LOCK_RELEASE_BOUND_MS, tail, verifyServer, type TrialResult } from "./trial.ts";

/** How long a racing app may take to serve /health, in ms (many boots share two cores). */
export const APP_BOOT_BOUND_MS = 180_000;

/** `count` `ydtb-db migrate` processes at once on one empty database: all exit 0, each migration once. */
export async function racingMigrators(ctx: ChaosContext, count: number): Promise<TrialResult> {
  const scenario = `racing ydtb-db migrate x${count}`;
  const { snapshot: reference } = await ctx.serverReference();
  const tdb = await ctx.createDatabase();
  try {
    await tdb.setSleeps(STEP_SLEEP_S / 6, 0);
    const started = performance.now();
    const runs = await Promise.all(Array.from({ length: count }, () => startCli(ctx.root, ["migrate"], { DATABASE_URL: tdb.url }).finished()));
    const ms = Math.round(performance.now() - started);
    const problems = runs.flatMap((r, i) => (r.code === 0 ? [] : [`migrator ${i + 1} ${r.hung ? "hung" : `exited ${r.code ?? r.signal}`}:\n${tail(r.output)}`]));
    problems.push(...(await verifyServer(ctx, tdb, reference)));
    return { scenario, kind: "postgres", ok: problems.length === 0, problems, ms };
  } finally {
    await tdb.drop();
  }
}

/** `count` app boots at once on one empty database: every one serves /health. */
export async function racingApps(ctx: ChaosContext, count: number): Promise<TrialResult> {
  const scenario = `racing app boots x${count}`;
  const { snapshot: reference } = await ctx.serverReference();
  const tdb = await ctx.createDatabase();
  try {
    await tdb.setSleeps(STEP_SLEEP_S / 6, 0);
    const started = performance.now();
    const apps = await Promise.all(Array.from({ length: count }, () => startApp(ctx.root, { DATABASE_URL: tdb.url }, APP_BOOT_BOUND_MS)));
    const ms = Math.round(performance.now() - started);
    for (const app of apps) app.proc.kill("SIGTERM");
    const ends = await Promise.all(apps.map((a) => a.finished()));
    const problems = apps.flatMap((a, i) => (a.healthy ? [] : [`app ${i + 1} never served /health (exit ${ends[i]!.code ?? ends[i]!.signal}):\n${tail(ends[i]!.output)}`]));
    problems.push(...(await verifyServer(ctx, tdb, reference)));
    return { scenario, kind: "postgres", ok: problems.length === 0, problems, ms };
  } finally {
    await tdb.drop();
  }
}

/**
 * SIGKILL of a migrator at a random point of the long migration set: `at` in [0, 1) of its expected
 * length, counted from its first migration's start (seen in pg_stat_activity).
 */
export async function killMigrator(ctx: ChaosContext, at: number): Promise<TrialResult> {
  const { snapshot: reference, ms: fullMs } = await ctx.serverReference();
  const tdb = await ctx.createDatabase();
  try {
    await tdb.setSleeps(STEP_SLEEP_S, 0);
    const child = startCli(ctx.root, ["migrate"], { DATABASE_URL: tdb.url });
    // Aimed at the generated set: from its first sleep on, a random point of its expected length.
    await waitFor(async () => child.proc.exitCode !== null || (await tdb.backends(`%${STEP_SLEEP_SETTING}%`)).length > 0, fullMs * 4, 10);
    await Bun.sleep(Math.round(at * ctx.pkg.migrations.length * STEP_SLEEP_S * 1000 * 2.5));
    child.proc.kill("SIGKILL");
    const end = await child.finished();
    const db = await tdb.open();
    const killedAfter = await generatedApplied(db).finally(() => db.close());
    // Checked the same whether the kill landed before, during or after the migrations.
    const problems = await verifyServer(ctx, tdb, reference);
    return { scenario: "SIGKILL mid-migration", kind: "postgres", ok: problems.length === 0, problems, ms: end.ms, killedAfter };
  } finally {
    await tdb.drop();
  }
}

/**
 * The migrator's (or the app's) connection is terminated while the slow migration runs: it must
 * end non-zero within {@link FAULT_EXIT_BOUND_MS} with a coded error naming the package and the
 * migration, which must not be applied.
 */
export async function cutConnection(ctx: ChaosContext, who: "ydtb-db migrate" | "app boot"): Promise<TrialResult> {
  const { snapshot: reference } = await ctx.serverReference();
  const tdb = await ctx.createDatabase();
  try {
    await tdb.setSleeps(0, 600);
    const child = who === "app boot" ? await startAppNoWait(ctx, tdb.url) : startCli(ctx.root, ["migrate"], { DATABASE_URL: tdb.url });
    const problems: string[] = [];
    let victims: number[] = [];
    const seen = await waitFor(async () => (victims = await tdb.backends(`%${SLOW_SLEEP_SETTING}%`)).length > 0, 120_000, 50);
    if (!seen) problems.push("the slow migration never started");
    const cutAt = performance.now();
    for (const pid of victims) await tdb.terminate(pid);
    const bounded = await Promise.race([child.finished().then(() => true), Bun.sleep(FAULT_EXIT_BOUND_MS).then(() => false)]);
    const ms = Math.round(performance.now() - cutAt);
    if (!bounded) {
      problems.push(`still running ${FAULT_EXIT_BOUND_MS} ms after its connection was cut`);
      child.proc.kill("SIGKILL");
    }
    const end = await child.finished();
    if (end.code === 0) problems.push("exited 0 although its connection was cut");
    const named = [CHAOS_PACKAGE, ctx.pkg.slowMigration].every((s) => end.output.includes(s)) && /\[[A-Z_]+\]|"code":\s*"[A-Z_]+"/.test(end.output);
    if (!named) problems.push(`no coded error naming ${CHAOS_PACKAGE} ${ctx.pkg.slowMigration}:\n${tail(end.output)}`);
    const db = await tdb.open();
    try {
      const applied = await db.query("SELECT 1 FROM ydtb_schema_migrations WHERE package = $1 AND migration_id = $2", [CHAOS_PACKAGE, ctx.pkg.slowMigration]);
      if (applied.length > 0) problems.push(`${ctx.pkg.slowMigration} is recorded as applied although it was cut`);
    } finally {
      await db.close();
    }
    problems.push(...(await verifyServer(ctx, tdb, reference)));
    return { scenario: `connection cut (${who})`, kind: "postgres", ok: problems.length === 0, problems, ms };
  } finally {
    await tdb.drop();
  }
}

/**
 * SIGKILL of a migrator while its slow statement runs (the statement would last 10 minutes): the
 * server must end that backend and free the lock within {@link LOCK_RELEASE_BOUND_MS}
 * (`client_connection_check_interval`), not when the statement ends.
 */
export async function killDuringStatement(ctx: ChaosContext): Promise<TrialResult> {
  const { snapshot: reference } = await ctx.serverReference();
  const tdb = await ctx.createDatabase();
  try {
    await tdb.setSleeps(0, 600);
    const child = startCli(ctx.root, ["migrate"], { DATABASE_URL: tdb.url });
    const problems: string[] = [];
    if (!(await waitFor(async () => (await tdb.backends(`%${SLOW_SLEEP_SETTING}%`)).length > 0, 120_000, 50))) problems.push("the slow migration never started");
    child.proc.kill("SIGKILL");
    await child.finished();
    const killedAt = performance.now();
    const db = await tdb.open();
    let ms: number;
    try {
      const freed = await waitFor(async () => !(await lockHeld(db)) && (await tdb.backends(`%${SLOW_SLEEP_SETTING}%`)).length === 0, LOCK_RELEASE_BOUND_MS, 25);
      ms = Math.round(performance.now() - killedAt);
      if (!freed) problems.push(`the lock and the killed migrator's statement outlived it by more than ${LOCK_RELEASE_BOUND_MS} ms`);
    } finally {
      await db.close();
    }
    for (const pid of await tdb.backends()) await tdb.terminate(pid); // a failed trial's leftover
    problems.push(...(await verifyServer(ctx, tdb, reference)));
    return { scenario: "SIGKILL during a long statement", kind: "postgres", ok: problems.length === 0, problems, ms };
  } finally {
    await tdb.drop();
  }
}

async function startAppNoWait(ctx: ChaosContext, url: string) {
  // The app cannot become healthy before the slow migration: start it without waiting for /health.
  return startApp(ctx.root, { DATABASE_URL: url }, 0);
}
