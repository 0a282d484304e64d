import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describeDatabases } from "@ydtb/test-db";
import { addPackage, copyWorkspace, removeWorkspace } from "../../../packages/db-init/test/helpers.ts";

const main = resolve(import.meta.dir, "../src/main.ts");
const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((f) => f()));

const freePort = () => 20_000 + Math.floor(Math.random() * 20_000);

/** Starts the app; resolves once /health answers 200 (or the process exits). */
async function boot(env: Record<string, string>) {
  const port = freePort();
  const child = Bun.spawn(["bun", main], { env: { ...env, PORT: String(port) }, stdout: "pipe", stderr: "pipe" });
  const output = { text: "" };
  const decoder = new TextDecoder();
  void (async () => {
    for await (const chunk of child.stdout) output.text += decoder.decode(chunk);
  })();
  void (async () => {
    for await (const chunk of child.stderr) output.text += decoder.decode(chunk);
  })();
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    const ok = await fetch(`${base}/health`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await Bun.sleep(100);
  }
  return { child, base, output };
}

function baseEnv(): Record<string, string> {
  const env = { ...(process.env as Record<string, string>) };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  return env;
}

describeDatabases("apps/core boot", (target) => {
  test("boots, serves /health and /api/db/status, stops on SIGTERM; a second boot applies nothing", async () => {
    const env = baseEnv();
    if (target.kind === "postgres") {
      const db = await target.fresh();
      env.DATABASE_URL = (db as unknown as { url: string }).url;
    } else {
      const dir = mkdtempSync(join(tmpdir(), "ydtb-app-"));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      env.YDTB_DATA_DIR = dir;
    }
    const first = await boot(env);
    try {
      expect((await fetch(`${first.base}/health`)).status).toBe(200);
      const status = (await (await fetch(`${first.base}/api/db/status`)).json()) as { packages: { package: string; databaseVersion: string; pending: string[] }[] };
      expect(status.packages.map((p) => [p.package, p.databaseVersion, p.pending.length])).toEqual([
        ["@ydtb/core", "1.0.0", 0],
        ["@ydtb/basic", "1.1.0", 0],
      ]);
      expect((await fetch(`${first.base}/nope`)).status).toBe(404);
      expect(first.output.text).toContain("6 migrations applied");
    } finally {
      first.child.kill("SIGTERM");
    }
    expect(await first.child.exited).toBe(0);

    const second = await boot(env);
    try {
      expect((await fetch(`${second.base}/health`)).status).toBe(200);
      expect(second.output.text).toContain("0 migrations applied");
    } finally {
      second.child.kill("SIGTERM");
    }
    expect(await second.child.exited).toBe(0);
  });
});

test("a boot that fails prints the report naming the package and exits non-zero", async () => {
  const root = copyWorkspace();
  cleanup.push(() => removeWorkspace(root));
  addPackage(root, "broken");
  writeFileSync(join(root, "packages/broken/src/database.ts"), `export default { packageName: "@ydtb/broken" };\n`);
  const dir = mkdtempSync(join(tmpdir(), "ydtb-app-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...baseEnv(), YDTB_ROOT_DIR: root, YDTB_DATA_DIR: dir };
  const run = await boot(env);
  expect(await run.child.exited).toBe(1);
  expect(run.output.text).toContain("@ydtb/broken");
  expect(run.output.text).toContain("NOT ready");
});
