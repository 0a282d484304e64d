import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openDatabase, type Database } from "@ydtb/db-client";
import { createPgliteDataDir, describeDatabases } from "@ydtb/test-db";
import { migrate as drizzlePgliteMigrate } from "drizzle-orm/pglite/migrator";
import { migrate as drizzlePostgresMigrate } from "drizzle-orm/postgres-js/migrator";
import { runCli } from "../src/index.ts";
import { captureIO, repoRoot } from "./helpers.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** drizzle-kit users' own migrator, run on @ydtb/core's folder. */
async function drizzleMigrateCore(db: Database) {
  const config = { migrationsFolder: join(repoRoot, "packages/db-core/drizzle") };
  if (db.kind === "pglite") await drizzlePgliteMigrate(db.orm as never, config);
  else await drizzlePostgresMigrate(db.orm as never, config);
}

type Json = Record<string, any>;

describeDatabases("ydtb-db baseline, resolve and rollback --package", (target) => {
  test("adopt a drizzle-kit database, then migrate, resolve and roll back one package", async () => {
    let args: string[];
    if (target.kind === "postgres") {
      const db = await target.fresh();
      await drizzleMigrateCore(db);
      await db.close();
      args = ["--database-url", (db as unknown as { url: string }).url];
    } else {
      const dir = await createPgliteDataDir("ydtb-cli-adopt-");
      dirs.push(dir);
      const db = await openDatabase({ dataDir: dir });
      try {
        await drizzleMigrateCore(db);
      } finally {
        await db.close();
      }
      args = ["--data-dir", dir];
    }
    const run = async (...argv: string[]) => {
      const c = captureIO({ NODE_ENV: "test" });
      const code = await runCli([...argv, "--json", "--root", repoRoot, ...args], c.io);
      return { code, json: c.json<Json>() };
    };

    const dry = await run("baseline", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.json).toMatchObject({ ok: true, command: "baseline", dryRun: true });
    expect(dry.json.adopted.map((a: Json) => a.id)).toEqual(["0000_core", "0001_tools_phase2", "0002_workspace_rls"]);

    const adopted = await run("baseline");
    expect(adopted.json.adopted.map((a: Json) => `${a.package} ${a.id} ${a.source}`)).toEqual([
      "@ydtb/core 0000_core drizzle.__drizzle_migrations row 1",
      "@ydtb/core 0001_tools_phase2 drizzle.__drizzle_migrations row 2",
      "@ydtb/core 0002_workspace_rls drizzle.__drizzle_migrations row 3",
    ]);
    const status = await run("status", "--migrations", "--package", "@ydtb/core");
    expect(status.json.packages.map((p: Json) => p.package)).toEqual(["@ydtb/core"]);
    expect(status.json.packages[0].migrations.every((m: Json) => m.state === "applied" && m.appliedBy.startsWith("adopted (drizzle.__drizzle_migrations row"))).toBe(true);

    const migrated = await run("migrate");
    expect(migrated.code).toBe(0);
    expect(migrated.json.report.steps.filter((s: Json) => s.status === "applied").map((s: Json) => s.id)).toEqual(["0000_notes", "0001_pinned", "0002_workspace_rls"]);

    // rollback --package: one package, to a version.
    const rolled = await run("rollback", "--package", "@ydtb/basic", "--to", "@ydtb/basic@1.0.0");
    expect(rolled.code).toBe(0);
    expect(rolled.json.report.steps.map((s: Json) => `${s.direction} ${s.package} ${s.id}`)).toEqual(["down @ydtb/basic 0002_workspace_rls", "down @ydtb/basic 0001_pinned"]);
    const steps = await run("rollback", "--package", "@ydtb/basic", "--steps", "1");
    expect(steps.code).toBe(2);
    expect(steps.json).toMatchObject({ ok: false, error: { code: "USAGE" } });

    const resolved = await run("resolve", "@ydtb/basic", "0001_pinned", "--applied");
    expect(resolved.json).toMatchObject({ ok: true, command: "resolve", package: "@ydtb/basic", id: "0001_pinned", direction: "up" });
    const again = await run("resolve", "@ydtb/basic", "0001_pinned", "--applied");
    expect(again.code).toBe(1);
    expect(again.json).toMatchObject({ ok: false, command: "resolve", error: { code: "ALREADY_APPLIED" } });

    // A mismatch: nothing recorded, every mismatch listed in the failure shape.
    const nothing = await run("baseline", "--drizzle-table", "drizzle.no_such_table");
    expect(nothing.json).toMatchObject({ ok: false, command: "baseline", error: { code: "DRIZZLE_HISTORY_NOT_FOUND" } });
  });
});
