import { afterAll, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseAheadError } from "@ydtb/db-migrate";
import { createPgliteDataDir, describeDatabases } from "@ydtb/test-db";
import { initDatabase, InitFailedError, runCli } from "../src/index.ts";
import { openDatabase } from "@ydtb/db-client";
import { captureIO, copyWorkspace, removeWorkspace, repoRoot } from "./helpers.ts";
import { previousReleaseWorkspace } from "./previous-release.ts";

// The repository holds release 1.1.0 of @ydtb/basic; `previous` is a copy holding 1.0.0 (without
// 0001_pinned). During a rolling deploy both run against one database, migrated by 1.1.0.
const previous = previousReleaseWorkspace();
const deleted = previousReleaseWorkspace({ version: "1.1.0" });
const dirs: string[] = [];
afterAll(() => {
  removeWorkspace(previous);
  removeWorkspace(deleted);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function initFailure(run: Promise<unknown>): Promise<InitFailedError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InitFailedError);
  return error as InitFailedError;
}

describeDatabases("the previous release boots against a database the next release migrated", (target) => {
  test("it starts without migrating @ydtb/basic, warns naming both versions, and serves; the next release still takes its fast path", async () => {
    const db = await target.fresh();
    await initDatabase({ db, rootDir: repoRoot });

    const { report, migration } = await initDatabase({ db, rootDir: previous });
    expect(report.ok).toBe(true);
    expect(report.applied).toBe(0);
    expect(report.ahead).toEqual([{ package: "@ydtb/basic", codeVersion: "1.0.0", databaseVersion: "1.1.0", migrations: [{ id: "0001_pinned", version: "1.1.0" }] }]);
    expect(report.packages.find((p) => p.name === "@ydtb/basic")).toMatchObject({ version: "1.0.0", databaseVersion: "1.1.0" });
    expect(migration.plan.conflicts).toEqual([]);
    // Its tools are the later release's: neither updated to 1.0.0's icon nor deactivated.
    expect(report.tools).toEqual({ inserted: 0, updated: 0, deactivated: 0 });
    expect(await db.query(`SELECT id, icon, is_active FROM ydtb_tools`)).toEqual([{ id: "notes", icon: "sticky-note", is_active: true }]);

    // The 1.0.0 code's writes work on the 1.1.0 schema (the new column has a default).
    await db.exec(`INSERT INTO ydtb_workspaces (id, name, slug) VALUES ('w1', 'W', 'w')`);
    await db.exec(`INSERT INTO ydtb_basic_notes (workspace_id, id, title) VALUES ('w1', 'n1', 'from 1.0.0')`);
    const [note] = await db.query<{ pinned: boolean }>(`SELECT pinned FROM ydtb_basic_notes WHERE id = 'n1'`);
    expect(note!.pinned).toBe(false);

    // The versions rows 1.1.0 wrote were left alone: the next release's boot is still the no-op.
    const next = await initDatabase({ db, rootDir: repoRoot });
    expect(next.migration.fastPath).toBe(true);
    expect(next.report.ahead).toEqual([]);
  });

  test("with the strict policy it refuses instead (DATABASE_AHEAD), naming both versions", async () => {
    const db = await target.fresh();
    await initDatabase({ db, rootDir: repoRoot });
    const error = await initFailure(initDatabase({ db, rootDir: previous, migrate: { strictVersions: true } }));
    expect(error.report.error?.code).toBe("DATABASE_AHEAD");
    expect(error.report.failedPhase).toBe("migrate");
    expect((error.cause as DatabaseAheadError).ahead.map((a) => [a.package, a.codeVersion, a.databaseVersion])).toEqual([["@ydtb/basic", "1.0.0", "1.1.0"]]);
  });

  test("an applied migration missing from within the code's own versions (a deleted file) stays an error", async () => {
    const db = await target.fresh();
    await initDatabase({ db, rootDir: repoRoot });
    // The 1.1.0 code itself, with 0001_pinned (released in 1.1.0) deleted.
    const error = await initFailure(initDatabase({ db, rootDir: deleted }));
    expect(error.report.error?.code).toBe("PLAN_CONFLICTS");
    expect(error.report.ahead).toEqual([]);
  });
});

describeDatabases("ydtb-db status and migrate from the previous release's code", (target) => {
  test("status lists the migrations applied but not in this code and shows the database's true version; --strict-versions and YDTB_DB_STRICT_VERSIONS refuse", async () => {
    let args: string[];
    if (target.kind === "postgres") {
      const db = await target.fresh();
      await db.close();
      args = ["--database-url", (db as unknown as { url: string }).url];
    } else {
      const dir = await createPgliteDataDir("ydtb-rolling-");
      dirs.push(dir);
      args = ["--data-dir", dir];
    }
    const run = async (root: string, argv: readonly string[], env: Record<string, string> = {}) => {
      const c = captureIO(env);
      const code = await runCli([...argv, "--root", root, ...args], c.io);
      return { code, out: c.out.join("\n"), err: c.err.join("\n"), json: () => c.json<Record<string, any>>() };
    };

    expect((await run(repoRoot, ["migrate", "--json"])).code).toBe(0);
    const migrate = await run(previous, ["migrate", "--json"]);
    expect(migrate.code).toBe(0);
    expect(migrate.json().report.ahead.map((a: { package: string; databaseVersion: string; codeVersion: string }) => [a.package, a.databaseVersion, a.codeVersion])).toEqual([["@ydtb/basic", "1.1.0", "1.0.0"]]);

    const status = await run(previous, ["status", "--json"]);
    const basic = status.json().packages.find((p: { package: string }) => p.package === "@ydtb/basic");
    expect(basic).toMatchObject({ codeVersion: "1.0.0", databaseVersion: "1.1.0", ahead: true, pending: [], notInCode: [{ id: "0001_pinned", version: "1.1.0" }] });
    const plan = await run(previous, ["plan", "--json"]);
    expect(plan.json().plan.ahead.map((a: { package: string; databaseVersion: string }) => [a.package, a.databaseVersion])).toEqual([["@ydtb/basic", "1.1.0"]]);
    const text = await run(previous, ["status"]);
    expect(text.out).toContain("code 1.0.0 · database 1.1.0");
    expect(text.out).toContain("applied, not in this code: 0001_pinned (1.1.0)");

    const strictFlag = await run(previous, ["migrate", "--json", "--strict-versions"]);
    expect(strictFlag.code).toBe(1);
    expect(strictFlag.json().report.error.code).toBe("DATABASE_AHEAD");
    const strictEnv = await run(previous, ["migrate", "--json"], { YDTB_DB_STRICT_VERSIONS: "1" });
    expect(strictEnv.code).toBe(1);
    expect((await run(previous, ["migrate"], { YDTB_DB_STRICT_VERSIONS: "maybe" })).code).toBe(2);
  });
});

describeDatabases("ydtb-db migrate bounds lock waits", (target) => {
  test("--migration-lock-timeout and --statement-timeout reach the migration's transaction", async () => {
    const root = copyWorkspace({ packages: ["db-core", "basic"] });
    dirs.push(root);
    const folder = join(root, "packages", "basic", "drizzle");
    writeFileSync(join(folder, "0003_seen.sql"), `CREATE TABLE "ydtb_basic_seen" AS SELECT current_setting('lock_timeout') AS lock_timeout, current_setting('statement_timeout') AS statement_timeout;`);
    const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as { entries: object[] };
    journal.entries.push({ idx: 3, version: "7", when: Date.now(), tag: "0003_seen", breakpoints: true });
    writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify(journal, null, 2));

    const db = await target.fresh();
    const args = target.kind === "postgres" ? ["--database-url", (db as unknown as { url: string }).url] : ["--data-dir", await createPgliteDataDir("ydtb-lockwait-")];
    if (target.kind === "postgres") await db.close();
    else dirs.push(args[1]!);
    const c = captureIO();
    expect(await runCli(["migrate", "--json", "--migration-lock-timeout", "2s", "--statement-timeout", "90s", "--root", root, ...args], c.io)).toBe(0);

    const check = await openDatabase(target.kind === "postgres" ? { url: args[1]! } : { dataDir: args[1]! });
    try {
      expect(await check.query(`SELECT lock_timeout, statement_timeout FROM ydtb_basic_seen`)).toEqual([{ lock_timeout: "2s", statement_timeout: "90s" }]);
    } finally {
      await check.close();
    }
  });
});
