import type { Subprocess } from "bun";
import { join, resolve } from "node:path";

/** The monorepo this suite runs in. */
export const repoRoot = resolve(import.meta.dir, "../../..");
const appMain = join(repoRoot, "apps/core/src/main.ts");

/** How a child process ended. */
export interface Finished {
  readonly code: number | null;
  readonly signal: string | null;
  /** stdout and stderr, interleaved as read. */
  readonly output: string;
  /** From spawn to exit, in ms. */
  readonly ms: number;
  /** True when the harness killed it for outliving its bound (a hang). */
  readonly hung: boolean;
}

/** Bound on any child process of a trial, in ms: past it the child is a hang, killed and reported. */
export const CHILD_BOUND_MS = 180_000;

/** A running child with its collected output. */
export interface Child {
  readonly proc: Subprocess<"ignore", "pipe", "pipe">;
  readonly output: { text: string };
  readonly started: number;
  /**
   * Resolves once it exited and its output is read; SIGKILLed (and reported `hung`) when still
   * running `boundMs` after this call (default {@link CHILD_BOUND_MS}).
   */
  finished(boundMs?: number): Promise<Finished>;
}

/** The environment of this process without the variables a trial sets itself. */
export function cleanEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !["DATABASE_URL", "NODE_ENV", "TEST_DATABASE_URL", "PORT"].includes(k)) env[k] = v;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

function spawnChild(cmd: string[], cwd: string, env: Record<string, string>): Child {
  const started = performance.now();
  const proc = Bun.spawn(cmd, { cwd, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const output = { text: "" };
  const decoder = new TextDecoder();
  const reads = [proc.stdout, proc.stderr].map(async (stream) => {
    for await (const chunk of stream) output.text += decoder.decode(chunk, { stream: true });
  });
  let exitedAt = 0;
  const exited = proc.exited.then(() => (exitedAt = performance.now()));
  return {
    proc,
    output,
    started,
    async finished(boundMs = CHILD_BOUND_MS) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let hung = false;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          hung = true;
          proc.kill("SIGKILL");
          resolve();
        }, boundMs);
      });
      await Promise.race([exited, bound]);
      await exited;
      clearTimeout(timer);
      await Promise.all(reads);
      const ms = Math.round(exitedAt - started);
      return { code: proc.exitCode, signal: proc.signalCode === null ? null : String(proc.signalCode), output: output.text, ms, hung };
    },
  };
}

/**
 * Starts `ydtb-db <args>` of the workspace copy `root`.
 *
 * @example
 * const r = await startCli(root, ["migrate"], { DATABASE_URL: url }).finished();
 */
export function startCli(root: string, args: readonly string[], env: Record<string, string | undefined>): Child {
  return spawnChild(["bun", join(root, "packages/db-init/src/bin.ts"), ...args], root, cleanEnv(env));
}

/** A booted (or failed) app. */
export interface App extends Child {
  readonly base: string;
  /** True once /health answered 200. */
  readonly healthy: boolean;
}

/**
 * Starts the app (`bun run start`'s command) over the workspace copy `root` and waits, at most
 * `waitMs`, until /health answers 200 or the process exits.
 */
export async function startApp(root: string, env: Record<string, string | undefined>, waitMs: number): Promise<App> {
  // PORT=0: the kernel picks a free port and the app prints it; a random fixed port could be
  // another app's, or an outgoing connection's ephemeral port, and the app would exit unserved.
  const child = spawnChild(["bun", appMain], repoRoot, cleanEnv({ ...env, YDTB_ROOT_DIR: root, PORT: "0" }));
  let base = "http://127.0.0.1:0";
  const deadline = performance.now() + waitMs;
  let healthy = false;
  while (!healthy && child.proc.exitCode === null && child.proc.signalCode === null && performance.now() < deadline) {
    const port = /listening on http:\/\/localhost:(\d+)/.exec(child.output.text)?.[1];
    if (port) {
      base = `http://127.0.0.1:${port}`;
      healthy = await fetch(`${base}/health`).then(
        (r) => r.status === 200,
        () => false, // not answering yet: asked again below
      );
    }
    if (!healthy) await Bun.sleep(100);
  }
  return { ...child, base, healthy };
}

/** Waits until `check` is true, polling every `everyMs`, for at most `withinMs`; returns whether it became true. */
export async function waitFor(check: () => Promise<boolean>, withinMs: number, everyMs = 50): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() >= deadline) return false;
    await Bun.sleep(everyMs);
  }
}
