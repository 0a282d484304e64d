import { resolve } from "node:path";

const main = resolve(import.meta.dir, "../src/main.ts");

/** The app's own line once it listens (it binds PORT=0: the kernel picks a free port, no race). */
const LISTENING = /listening on http:\/\/localhost:(\d+)/;

/** The test's environment without DATABASE_URL and NODE_ENV, for a clean app boot. */
export function baseEnv(): Record<string, string> {
  const env = { ...(process.env as Record<string, string>) };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  return env;
}

/**
 * Starts the app on a port the kernel picks (PORT=0; a random fixed port could be taken by
 * another test's app or by an outgoing connection's ephemeral port, and the app then exits
 * before serving); resolves once /health answers 200 (or the process exits). Output is collected.
 */
export async function boot(env: Record<string, string>) {
  const child = Bun.spawn(["bun", main], { env: { ...env, PORT: "0" }, stdout: "pipe", stderr: "pipe" });
  const output = { text: "" };
  const decoder = new TextDecoder();
  const streams = [child.stdout, child.stderr].map(async (stream) => {
    for await (const chunk of stream) output.text += decoder.decode(chunk);
  });
  let base = "http://127.0.0.1:0";
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    const port = LISTENING.exec(output.text)?.[1];
    if (port) {
      base = `http://127.0.0.1:${port}`;
      const ok = await fetch(`${base}/health`).then((r) => r.status === 200, () => false);
      if (ok) break;
    }
    await Bun.sleep(100);
  }
  /** Resolves when the process has exited and all its output is read. */
  const finished = async () => {
    const code = await child.exited;
    await Promise.all(streams);
    return code;
  };
  return { child, base, output, finished };
}
