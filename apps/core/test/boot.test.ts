import { afterAll, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createPgliteDataDir, describeDatabases } from "@ydtb/test-db";
import { addPackage, copyWorkspace, removeWorkspace } from "../../../packages/db-init/test/helpers.ts";
import { previousReleaseWorkspace } from "../../../packages/db-init/test/previous-release.ts";
import { baseEnv, boot } from "./boot-helpers.ts";

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((f) => f()));

describeDatabases("apps/core boot", (target) => {
  test("boots, serves /health and /api/db/status, stops on SIGTERM; a second boot applies nothing", async () => {
    const env = baseEnv();
    if (target.kind === "postgres") {
      const db = await target.fresh();
      env.DATABASE_URL = (db as unknown as { url: string }).url;
    } else {
      const dir = await createPgliteDataDir("ydtb-app-");
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
  const dir = await createPgliteDataDir("ydtb-app-");
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...baseEnv(), YDTB_ROOT_DIR: root, YDTB_DATA_DIR: dir };
  const run = await boot(env);
  expect(await run.child.exited).toBe(1);
  expect(run.output.text).toContain("@ydtb/broken");
  expect(run.output.text).toContain("NOT ready");
});

describeDatabases("rolling deploy: the previous release's app", (target) => {
  test("boots and serves against a database the next release migrated, reporting it ahead; with YDTB_DB_STRICT_VERSIONS=1 it refuses", async () => {
    const env = baseEnv();
    if (target.kind === "postgres") {
      const db = await target.fresh();
      env.DATABASE_URL = (db as unknown as { url: string }).url;
    } else {
      const dir = await createPgliteDataDir("ydtb-app-");
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      env.YDTB_DATA_DIR = dir;
    }
    const previous = previousReleaseWorkspace();
    cleanup.push(() => removeWorkspace(previous));

    const next = await boot(env);
    next.child.kill("SIGTERM");
    expect(await next.child.exited).toBe(0);

    const old = await boot({ ...env, YDTB_ROOT_DIR: previous });
    try {
      // An app that ended before serving says why (its output), not just ECONNREFUSED.
      if (old.child.exitCode !== null) throw new Error(`the previous release's app exited with ${old.child.exitCode} before serving:\n${(await old.finished(), old.output.text)}`);
      expect((await fetch(`${old.base}/health`)).status).toBe(200);
      const status = (await (await fetch(`${old.base}/api/db/status`)).json()) as { packages: { package: string; codeVersion: string; databaseVersion: string; ahead: boolean; notInCode: { id: string }[] }[] };
      expect(status.packages.map((p) => [p.package, p.codeVersion, p.databaseVersion, p.ahead, p.notInCode.map((m) => m.id)])).toEqual([
        ["@ydtb/core", "1.0.0", "1.0.0", false, []],
        ["@ydtb/basic", "1.0.0", "1.1.0", true, ["0001_pinned"]],
      ]);
    } finally {
      old.child.kill("SIGTERM");
    }
    expect(await old.child.exited).toBe(0);

    const strict = await boot({ ...env, YDTB_ROOT_DIR: previous, YDTB_DB_STRICT_VERSIONS: "1" });
    expect(await strict.child.exited).toBe(1);
    expect(strict.output.text).toContain("DATABASE_AHEAD");
  });
});
