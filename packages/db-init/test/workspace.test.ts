import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "@ydtb/db-client";
import { describeDatabases, seedPgliteDataDir } from "@ydtb/test-db";
import { InitFailedError, initDatabase } from "../src/index.ts";
import { addPackage, copyWorkspace, removeWorkspace } from "./helpers.ts";

const copies: string[] = [];
afterAll(() => copies.forEach(removeWorkspace));

describeDatabases("a temporary copy of the workspace", (target) => {
  test("a new package folder is discovered and migrated by `bun run db:migrate`, with no list edited", async () => {
    const root = copyWorkspace();
    copies.push(root);
    addPackage(root, "extra");
    const env: Record<string, string> = { ...(process.env as Record<string, string>), TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
    let url: string | undefined;
    if (target.kind === "postgres") {
      const db = await target.fresh();
      url = (db as unknown as { url: string }).url;
      env.DATABASE_URL = url;
    } else {
      delete env.DATABASE_URL;
      await seedPgliteDataDir(join(root, "apps/core/.data")); // spares the first db:migrate an initdb
    }
    const run = Bun.spawnSync(["bun", "run", "db:migrate"], { cwd: root, env, stdout: "pipe", stderr: "pipe" });
    const output = `${run.stdout.toString()}\n${run.stderr.toString()}`;
    expect({ code: run.exitCode, output: run.exitCode === 0 ? "" : output }).toEqual({ code: 0, output: "" });
    // turbo ran core's db:migrate to the end before starting those of the packages that depend on it.
    const coreEnds = output.lastIndexOf("@ydtb/db-core:db:migrate:");
    expect(coreEnds).toBeGreaterThanOrEqual(0);
    for (const dependent of ["@ydtb/basic:db:migrate:", "@ydtb/extra:db:migrate:"]) expect(output.indexOf(dependent)).toBeGreaterThan(coreEnds);

    const db = url ? await openDatabase({ url }) : await openDatabase({ dataDir: join(root, "apps/core/.data") });
    try {
      const tables = (await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).map((r) => r.table_name);
      expect(tables).toContain("ydtb_extra_items");
      expect(tables).toContain("ydtb_basic_notes");
      const history = await db.query<{ package: string; n: number }>("SELECT package, count(*)::int AS n FROM ydtb_schema_history WHERE direction = 'up' GROUP BY package ORDER BY package");
      expect(history).toEqual([
        { package: "@ydtb/basic", n: 3 },
        { package: "@ydtb/core", n: 3 },
        { package: "@ydtb/extra", n: 2 },
      ]);
      // Each package's db:migrate syncs only its own tools: whichever ran last, basic's stays active.
      expect(await db.query("SELECT id, is_active, package_name FROM ydtb_tools ORDER BY id")).toEqual([{ id: "notes", is_active: true, package_name: "@ydtb/basic" }]);
    } finally {
      await db.close();
    }
  });

  test("a broken package makes the boot fail with its name in the report; nothing is migrated", async () => {
    const root = copyWorkspace();
    copies.push(root);
    addPackage(root, "broken");
    writeFileSync(join(root, "packages/broken/src/database.ts"), `import { nothing } from "./missing.ts";\nexport default nothing;\n`);
    const db = await target.fresh();
    let error: unknown;
    try {
      await initDatabase({ db, rootDir: root });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InitFailedError);
    const report = (error as InitFailedError).report;
    expect(report.failedPhase).toBe("discover");
    expect(report.discoveryFailures.map((f) => f.package)).toEqual(["@ydtb/broken"]);
    expect(report.discoveryFailures[0]?.file).toBe(join(root, "packages/broken/src/database.ts"));
    const tables = await db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables).toEqual([]);
  });
});
