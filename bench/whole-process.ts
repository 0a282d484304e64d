import { join, resolve } from "node:path";
import { dropTarget, freshTarget, median, type Target } from "./targets.ts";
import type { WorkspaceOnDisk } from "./write-workspace.ts";

/** Wall-clock and CPU time of one process, in ms. */
export interface ProcessCost {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Whole-process figures at one size: medians of interleaved no-op boots, and one cold apply each. */
export interface ProcessFigures {
  readonly size: string;
  readonly migrations: number;
  /** `ydtb-db migrate` and drizzle's script on an empty database (one run each). */
  readonly cold: { readonly cli: ProcessCost; readonly drizzle: ProcessCost };
  readonly noop: { readonly cli: ProcessCost; readonly app: ProcessCost; readonly drizzle: ProcessCost; readonly floor: ProcessCost };
}

const repoRoot = resolve(import.meta.dir, "..");
const cliBin = join(repoRoot, "packages/db-init/src/bin.ts");
const appMain = join(repoRoot, "apps/core/src/main.ts");

/** A clean environment for the children: no inherited database or mode settings. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env = { ...(process.env as Record<string, string>) };
  for (const k of ["DATABASE_URL", "TEST_DATABASE_URL", "NODE_ENV", "PORT", "YDTB_ROOT_DIR", "YDTB_DATA_DIR"]) delete env[k];
  return { ...env, ...extra };
}

const cpuOf = (proc: { resourceUsage(): { cpuTime: { total: number | bigint } } | undefined }) => Number(proc.resourceUsage()?.cpuTime.total ?? 0) / 1000;

/** Runs a command to its end; its wall time from spawn to exit and its CPU time. Throws on a non-zero exit. */
async function runToExit(cmd: readonly string[], env: Record<string, string>): Promise<ProcessCost> {
  const t = performance.now();
  const proc = Bun.spawn([...cmd], { env, stdout: "ignore", stderr: "pipe" });
  // Read while it runs: a cold migrate's progress would otherwise fill the pipe and block the child.
  const stderr = new Response(proc.stderr).text();
  const code = await proc.exited;
  const wallMs = performance.now() - t;
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}: ${await stderr}`);
  return { wallMs, cpuMs: cpuOf(proc) };
}

function freePort(): number {
  const server = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

/** The bound of an app boot: far above any boot measured here, so only a hang reaches it. */
export const APP_BOOT_LIMIT_MS = 120_000;

/**
 * Starts apps/core and times it from spawn to the first 200 on /health (it listens only once the
 * database is migrated; /health is polled from the moment it prints that it listens). CPU time is
 * the process's whole life, a SIGTERM shutdown included.
 */
async function appToHealth(env: Record<string, string>): Promise<ProcessCost> {
  const port = freePort();
  const t = performance.now();
  const proc = Bun.spawn([process.execPath, appMain], { env: { ...env, PORT: String(port) }, stdout: "pipe", stderr: "pipe" });
  const stderr = new Response(proc.stderr).text();
  const decoder = new TextDecoder();
  let seen = "";
  for await (const chunk of proc.stdout) {
    seen += decoder.decode(chunk, { stream: true });
    if (seen.includes("listening")) break;
  }
  let wallMs = 0;
  while (performance.now() - t < APP_BOOT_LIMIT_MS && proc.exitCode === null) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
    if (ok) {
      wallMs = performance.now() - t;
      break;
    }
    await Bun.sleep(5);
  }
  proc.kill("SIGTERM");
  await proc.exited;
  if (!wallMs) throw new Error(`apps/core did not answer 200 on /health within ${APP_BOOT_LIMIT_MS / 1000} s (exit ${proc.exitCode}): ${seen}${await stderr}`);
  return { wallMs, cpuMs: cpuOf(proc) };
}

const mid = (xs: readonly ProcessCost[]): ProcessCost => ({ wallMs: median(xs.map((x) => x.wallMs)), cpuMs: median(xs.map((x) => x.cpuMs)) });

/**
 * Whole-process costs on a workspace on disk, on the server: a cold `ydtb-db migrate` and a cold
 * drizzle script (one run each, on their own databases), then `runs` rounds (after `warmup`
 * uncounted ones) of four no-op boots in a rotating order — `ydtb-db migrate`, apps/core to its
 * first 200 on /health, drizzle's script, the floor (connect + `select 1`) — reported as medians.
 *
 * @example
 * const figures = await measureWholeProcess(ws, "50x20", { runs: 5, warmup: 1, serverUrl });
 */
export async function measureWholeProcess(ws: WorkspaceOnDisk, size: string, options: { readonly runs: number; readonly warmup: number; readonly serverUrl: string }): Promise<ProcessFigures> {
  const ours = (await freshTarget("postgres", options.serverUrl)) as Extract<Target, { kind: "postgres" }>;
  const theirs = (await freshTarget("postgres", options.serverUrl)) as Extract<Target, { kind: "postgres" }>;
  try {
    const cliCmd = [process.execPath, cliBin, "migrate", "--root", ws.root, "--database-url", ours.url];
    const drizzleCmd = [process.execPath, join(import.meta.dir, "drizzle-boot.ts"), ws.root, theirs.url];
    const floorCmd = [process.execPath, join(import.meta.dir, "floor-boot.ts"), theirs.url];
    const env = childEnv({});
    const cold = { cli: await runToExit(cliCmd, env), drizzle: await runToExit(drizzleCmd, env) };
    const contenders: Record<keyof ProcessFigures["noop"], () => Promise<ProcessCost>> = {
      cli: () => runToExit(cliCmd, env),
      app: () => appToHealth(childEnv({ DATABASE_URL: ours.url, YDTB_ROOT_DIR: ws.root, NODE_ENV: "production" })),
      drizzle: () => runToExit(drizzleCmd, env),
      floor: () => runToExit(floorCmd, env),
    };
    const names = Object.keys(contenders) as (keyof ProcessFigures["noop"])[];
    const samples = Object.fromEntries(names.map((n) => [n, [] as ProcessCost[]])) as Record<keyof ProcessFigures["noop"], ProcessCost[]>;
    for (let round = 0; round < options.warmup + options.runs; round++) {
      // Interleaved, and the order rotates, so drift in the machine's load falls on every contender.
      for (let i = 0; i < names.length; i++) {
        const name = names[(round + i) % names.length]!;
        const cost = await contenders[name]();
        if (round >= options.warmup) samples[name].push(cost);
      }
      process.stderr.write(`  whole process ${size}: round ${round + 1}/${options.warmup + options.runs}${round < options.warmup ? " (warm-up)" : ""}\n`);
    }
    return { size, migrations: ws.migrationCount, cold, noop: { cli: mid(samples.cli), app: mid(samples.app), drizzle: mid(samples.drizzle), floor: mid(samples.floor) } };
  } finally {
    await dropTarget(ours);
    await dropTarget(theirs);
  }
}
