import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPgliteDataDir, describeDatabases } from "@ydtb/test-db";
import { CLI_VERSION, COMMAND_SPECS, COMMANDS, isDevelopmentOrTest, runCli } from "../src/index.ts";
import { captureIO, repoRoot } from "./helpers.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test("usage errors exit 2; --json gives the failure shape", async () => {
  expect(await runCli(["rollback"], captureIO().io)).toBe(2);
  expect(await runCli(["frobnicate"], captureIO().io)).toBe(2);
  const j = captureIO();
  expect(await runCli(["migrate", "--stpes", "1", "--json"], j.io)).toBe(2);
  expect(j.json()).toMatchObject({ ok: false, command: null, error: { code: "USAGE" } });
  const h = captureIO();
  expect(await runCli(["--help"], h.io)).toBe(0);
  for (const name of COMMANDS) expect(h.out.join("\n")).toContain(name);
});

test("--help for every command, with examples; --version", async () => {
  for (const name of COMMANDS) {
    const c = captureIO();
    expect(await runCli([name, "--help"], c.io)).toBe(0);
    const text = c.out.join("\n");
    expect(text).toContain(`Usage: ydtb-db ${name}`);
    expect(text).toMatch(/Examples:\n  (NODE_ENV=\w+ )?ydtb-db /);
    for (const option of COMMAND_SPECS[name].options) expect(text).toContain(`--${option}`);
  }
  const v = captureIO();
  expect(await runCli(["--version"], v.io)).toBe(0);
  expect(v.out).toEqual([CLI_VERSION]);
});

test("a missing --root and a non-PostgreSQL URL are usage errors (exit 2)", async () => {
  const r = captureIO();
  expect(await runCli(["status", "--root", "/nonexistent", "--json"], r.io)).toBe(2);
  expect(r.json()).toMatchObject({ ok: false, command: "status", error: { code: "USAGE" } });
  const u = captureIO({ DATABASE_URL: "mysql://root:secret@127.0.0.1:3306/app" });
  expect(await runCli(["status", "--root", repoRoot], u.io)).toBe(2);
  expect(u.err.join("\n")).not.toContain("secret");
});

test("reset refuses unless NODE_ENV is development or test, naming the database", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-cli-reset-"));
  dirs.push(dir);
  for (const env of [undefined, "", "production", "PRODUCTION", "prod", "staging"]) {
    const c = captureIO(env === undefined ? {} : { NODE_ENV: env });
    expect(await runCli(["reset", "--force", "--json", "--root", repoRoot, "--data-dir", dir], c.io)).toBe(1);
    const out = c.json<{ ok: boolean; command: string; error: { code: string; message: string } }>();
    expect(out).toMatchObject({ ok: false, command: "reset", error: { code: "RESET_REFUSED" } });
    expect(out.error.message).toContain(`pglite:${dir}`);
  }
  expect(isDevelopmentOrTest("Development")).toBe(true);
  expect(isDevelopmentOrTest("TEST")).toBe(true);
  expect(isDevelopmentOrTest("dev")).toBe(false);
});

test("sql prints what a plan would run, up or down, without a database", async () => {
  const up = captureIO();
  expect(await runCli(["sql", "@ydtb/basic@1.0.0", "--root", repoRoot], up.io)).toBe(0);
  expect(up.out.join("\n")).toContain("-- @ydtb/basic 0000_notes (1.0.0) up");
  expect(up.out.join("\n")).not.toContain("0001_pinned");
  const down = captureIO();
  expect(await runCli(["sql", "@ydtb/basic@1.0.0", "--down", "--json", "--root", repoRoot], down.io)).toBe(0);
  const preview = down.json<{ ok: boolean; direction: string; migrations: { id: string; statements: string[] }[] }>();
  expect(preview).toMatchObject({ ok: true, direction: "down" });
  expect(preview.migrations.map((m) => m.id)).toEqual(["0002_workspace_rls", "0001_pinned"]);
  expect(preview.migrations[1]!.statements.join("\n")).toContain('DROP COLUMN IF EXISTS "pinned"');
  const one = captureIO();
  expect(await runCli(["sql", "@ydtb/core", "0001_tools_phase2", "--json", "--root", repoRoot], one.io)).toBe(0);
  expect(one.json<{ migrations: { id: string }[] }>().migrations.map((m) => m.id)).toEqual(["0001_tools_phase2"]);
  expect(await runCli(["sql", "@ydtb/basic", "9999_nope", "--root", repoRoot], captureIO().io)).toBe(2);
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

  expect(g.json<{ migrations: { package: string; id: string }[] }>().migrations.map((m) => `${m.package} ${m.id}`)).toEqual([
    "@ydtb/core 0000_core",
    "@ydtb/core 0001_tools_phase2",
    "@ydtb/core 0002_workspace_rls",
    "@ydtb/basic 0000_notes",
    "@ydtb/basic 0001_pinned",
    "@ydtb/basic 0002_workspace_rls",
  ]);

  const r = captureIO();
  expect(await runCli(["rules", "--json"], r.io)).toBe(0);
  expect(r.json<{ ok: boolean; command: string; rules: { name: string }[] }>()).toMatchObject({ ok: true, command: "rules" });
  expect(r.json<{ rules: { name: string }[] }>().rules.map((x) => x.name)).toContain("cross-workspace-reference");
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
      const dir = await createPgliteDataDir("ydtb-cli-");
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

    const status = await run("status", "--migrations");
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({ ok: true, command: "status" });
    const listed = status.json.packages.find((p: { package: string }) => p.package === "@ydtb/basic").migrations;
    expect(listed.map((m: { id: string; state: string }) => `${m.id} ${m.state}`)).toEqual(["0000_notes applied", "0001_pinned applied", "0002_workspace_rls applied"]);
    expect(Number.isNaN(Date.parse(listed[0].appliedAt))).toBe(false);
    expect(listed[0].appliedBy).toContain(`pid ${process.pid}`);
    const basic = status.json.packages.find((p: { package: string }) => p.package === "@ydtb/basic");
    expect(basic).toMatchObject({ codeVersion: "1.1.0", databaseVersion: "1.1.0", applied: ["0000_notes", "0001_pinned", "0002_workspace_rls"], pending: [] });
    expect(basic.tools).toEqual([{ id: "notes", name: "Notes", active: true }]);

    expect((await run("plan")).json.plan.steps).toEqual([]);
    const planned = await run("plan", "--to", "@ydtb/basic@1.0.0");
    expect(planned.json.plan.steps.map((s: { direction: string; id: string }) => `${s.direction} ${s.id}`)).toEqual(["down 0002_workspace_rls", "down 0001_pinned"]);

    const withSql = await run("plan", "--steps", "1", "--sql");
    expect(withSql.json.sql.map((p: { package: string; direction: string; migrations: { id: string }[] }) => `${p.direction} ${p.package} ${p.migrations.map((m) => m.id).join()}`)).toEqual([
      "down @ydtb/basic 0002_workspace_rls",
    ]);
    expect(withSql.json.sql[0].migrations[0].statements.join("\n")).toContain("DISABLE ROW LEVEL SECURITY");

    const rolled = await run("rollback", "--steps", "1");
    expect(rolled.code).toBe(0);
    expect(rolled.json.report.steps.map((s: { direction: string; id: string }) => `${s.direction} ${s.id}`)).toEqual(["down 0002_workspace_rls"]);
    expect((await run("status")).json.packages.find((p: { package: string }) => p.package === "@ydtb/basic").pending).toEqual(["0002_workspace_rls"]);

    // Rolling core back below what basic's applied migrations need is refused without --cascade.
    const refused = await run("rollback", "--to", "@ydtb/core@0.0.0");
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ ok: false, command: "rollback", error: { code: "ROLLBACK_BLOCKED_BY_DEPENDENTS" } });
    expect(refused.json.report.error.code).toBe("ROLLBACK_BLOCKED_BY_DEPENDENTS");

    env = { NODE_ENV: "production" };
    const prod = await run("reset", "--force");
    expect(prod.code).toBe(1);
    expect(prod.json.error.code).toBe("RESET_REFUSED");
    env = { NODE_ENV: "Development" };
    const reset = await run("reset", "--force");
    expect(reset.code).toBe(0);
    expect((await run("status")).json.packages.every((p: { applied: string[] }) => p.applied.length === 0)).toBe(true);
  });
});


test("colour on a terminal only, and never with NO_COLOR; failures are labelled with their command", async () => {
  const esc = "\u001b[";
  const tty = { stdout: true, stderr: true };
  const run = async (env: Record<string, string>, isTTY: { stdout: boolean; stderr: boolean }) => {
    const c = captureIO(env);
    await runCli(["plan", "--steps", "x"], { ...c.io, isTTY });
    await runCli(["graph", "--root", repoRoot], { ...c.io, isTTY });
    return [...c.out, ...c.err].join("\n");
  };
  expect(await run({}, tty)).toContain(esc);
  expect(await run({ NO_COLOR: "1" }, tty)).not.toContain(esc);
  expect(await run({}, { stdout: false, stderr: false })).not.toContain(esc);

  const dir = mkdtempSync(join(tmpdir(), "ydtb-cli-label-"));
  dirs.push(dir);
  const failed = captureIO();
  expect(await runCli(["rollback", "--to", "@ydtb/core@9.0.0", "--root", repoRoot, "--data-dir", dir], failed.io)).toBe(1);
  expect(failed.err.join("\n")).toContain("ydtb-db rollback failed [");
  expect(failed.out.join("\n")).toContain("rollback failed in the migrate phase");
  expect(failed.out.join("\n")).not.toContain("\nmigrate failed");
});
