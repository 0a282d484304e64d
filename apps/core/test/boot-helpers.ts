import { resolve } from "node:path";

const main = resolve(import.meta.dir, "../src/main.ts");

/** A port for a test app (random, high). */
export const freePort = () => 20_000 + Math.floor(Math.random() * 20_000);

/** The test's environment without DATABASE_URL and NODE_ENV, for a clean app boot. */
export function baseEnv(): Record<string, string> {
  const env = { ...(process.env as Record<string, string>) };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  return env;
}

/** Starts the app; resolves once /health answers 200 (or the process exits). Output is collected. */
export async function boot(env: Record<string, string>) {
  const port = freePort();
  const child = Bun.spawn(["bun", main], { env: { ...env, PORT: String(port) }, stdout: "pipe", stderr: "pipe" });
  const output = { text: "" };
  const decoder = new TextDecoder();
  const streams = [child.stdout, child.stderr].map(async (stream) => {
    for await (const chunk of stream) output.text += decoder.decode(chunk);
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    const ok = await fetch(`${base}/health`).then((r) => r.status === 200, () => false);
    if (ok) break;
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
