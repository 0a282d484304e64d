import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeDatabases } from "@ydtb/test-db";
import { runCli } from "../src/index.ts";
import { captureIO, repoRoot } from "./helpers.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test("usage errors exit 2 and print the usage", async () => {
  const c = captureIO();
  expect(await runCli(["rollback"], c.io)).toBe(2);
  expect(c.err.join("\n")).toContain("Usage: ydtb-db");
  expect(await runCli(["frobnicate"], captureIO().io)).toBe(2);
  expect(await runCli(["--help"], captureIO().io)).toBe(0);
});

test("validate --json reports every package clean; rules and graph print as JSON", async () => {
  const v = captureIO();
  expect(await runCli(["validate", "--json", "--root", repoRoot], v.io)).toBe(0);
  const report = v.json<{ ok: boolean; errorCount: number; packages: { package: string }[] }>();
  expect(report.ok).toBe(true);
  expect(report.errorCount).toBe(0);
  expect(report.packages.map((p) => p.package).sort()).toEqual(["@ydtb/basic", "@ydtb/core"]);

  const g = captureIO();
  expect(await runCli(["graph", "--json", "--root", repoRoot], g.io)).toBe(0);
  expect(g.json<{ order: string[] }>().order).toEqual(["@ydtb/core", "@ydtb/basic"]);
  const m = captureIO();
  expect(await runCli(["graph", "--format", "dot", "--root", repoRoot], m.io)).toBe(0);
  expect(m.out.join("\n")).toContain('"@ydtb/basic" -> "@ydtb/core"');

  const r = captureIO();
  expect(await runCli(["rules", "--json"], r.io)).toBe(0);
  expect(r.json<{ name: string }[]>().map((x) => x.name)).toContain("cross-workspace-reference");
});

describeDatabases("ydtb-db against a database", (target) => {
  test("migrate, status, plan, rollback, reset — each with --json", async () => {
    let args: string[];
    let env: Record<string, string | undefined> = {};
    if (target.kind === "postgres") {
      const db = await target.fresh();
      await db.close(); // the command line opens its own connection
      args = ["--database-url", (db as unknown as { url: string }).url];
    } else {
      const dir = mkdtempSync(join(tmpdir(), "ydtb-cli-"));
      dirs.push(dir);
      args = ["--data-dir", dir];
    }
    const run = async (...argv: string[]) => {
      const c = captureIO(env);
      const code = await runCli([...argv, "--json", "--root", repoRoot, ...args], c.io);
      return { code, json: c.json<Record<string, any>>() };
    };

    const migrated = await run("migrate");
    expect(migrated.code).toBe(0);
    expect(migrated.json.report.applied).toBe(6);

    const status = await run("status");
    expect(status.code).toBe(0);
    const basic = status.json.packages.find((p: { package: string }) => p.package === "@ydtb/basic");
    expect(basic).toMatchObject({ codeVersion: "1.1.0", databaseVersion: "1.1.0", applied: ["0000_notes", "0001_pinned", "0002_workspace_rls"], pending: [] });
    expect(basic.tools).toEqual([{ id: "notes", name: "Notes", active: true }]);

    expect((await run("plan")).json.plan.steps).toEqual([]);
    const planned = await run("plan", "--to", "@ydtb/basic@1.0.0");
    expect(planned.json.plan.steps.map((s: { direction: string; id: string }) => `${s.direction} ${s.id}`)).toEqual(["down 0002_workspace_rls", "down 0001_pinned"]);

    const rolled = await run("rollback", "--steps", "1");
    expect(rolled.code).toBe(0);
    expect(rolled.json.report.steps.map((s: { direction: string; id: string }) => `${s.direction} ${s.id}`)).toEqual(["down 0002_workspace_rls"]);
    expect((await run("status")).json.packages.find((p: { package: string }) => p.package === "@ydtb/basic").pending).toEqual(["0002_workspace_rls"]);

    // Rolling core back below what basic's applied migrations need is refused without --cascade.
    const refused = await run("rollback", "--to", "@ydtb/core@0.0.0");
    expect(refused.code).toBe(1);
    expect(refused.json.ok).toBe(false);
    expect(refused.json.report.error.code).toBe("ROLLBACK_BLOCKED_BY_DEPENDENTS");

    env = { NODE_ENV: "production" };
    const prod = await run("reset", "--force");
    expect(prod.code).toBe(1);
    expect(prod.json.error.code).toBe("RESET_REFUSED");
    env = {};
    const reset = await run("reset", "--force");
    expect(reset.code).toBe(0);
    expect((await run("status")).json.packages.every((p: { applied: string[] }) => p.applied.length === 0)).toBe(true);
  });
});

