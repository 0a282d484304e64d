import { afterAll, expect, test } from "bun:test";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describeDatabases, seedPgliteDataDir } from "@ydtb/test-db";
import type { InitReport } from "../src/index.ts";
import { addPackage, copyWorkspace, removeWorkspace } from "./helpers.ts";

const copies: string[] = [];
afterAll(() => copies.forEach(removeWorkspace));
const bin = join(import.meta.dir, "../src/bin.ts");
/** Ten CLI processes, half of them the full path, on a loaded machine: above bun's 5 s default. */
const PROCESS_RUNS_TIMEOUT_MS = 60_000;

// `ydtb-db migrate` as a process: on a server, a no-op is answered by the stamp before the CLI
// loads; on PGlite the CLI runs and initDatabase answers from the stamp.
describeDatabases("ydtb-db migrate and the boot stamp", (target) => {
  test("a no-op is answered by the stamp with the full no-op's report; a new package defeats it; text output is the report", async () => {
    const root = copyWorkspace({ packages: ["db-core", "basic"] });
    copies.push(root);
    let where: string[];
    if (target.kind === "postgres") {
      where = ["--database-url", ((await target.fresh()) as unknown as { url: string }).url];
    } else {
      const dataDir = join(root, ".data");
      await seedPgliteDataDir(dataDir);
      where = ["--data-dir", dataDir];
    }
    const env = { ...process.env, DATABASE_URL: "" };
    const migrate = (...extra: string[]) => {
      const run = Bun.spawnSync([process.execPath, bin, "migrate", "--root", root, ...where, ...extra], { env, stdout: "pipe", stderr: "pipe" });
      return { code: run.exitCode, out: run.stdout.toString(), err: run.stderr.toString() };
    };
    const report = (run: ReturnType<typeof migrate>) => {
      expect({ code: run.code, err: run.code === 0 ? "" : run.err }).toEqual({ code: 0, err: "" });
      const json = JSON.parse(run.out) as { ok: boolean; command: string; report: InitReport };
      expect({ ok: json.ok, command: json.command }).toEqual({ ok: true, command: "migrate" });
      return json.report;
    };
    const first = report(migrate("--json"));
    expect({ applied: first.applied, stamp: first.bootStamp }).toEqual({ applied: 6, stamp: undefined });
    const second = report(migrate("--json"));
    expect({ applied: second.applied, stamp: second.bootStamp, queries: second.queryCount, packages: second.packages, warnings: second.warnings }).toEqual({
      applied: 0,
      stamp: true,
      queries: 1,
      packages: first.packages,
      warnings: first.warnings,
    });
    const text = migrate();
    expect({ code: text.code, line: text.out.split("\n")[0]?.replace(/; \d+ ms \(.*\)$/, "") }).toEqual({ code: 0, line: `ydtb-db: database ready (${first.database}) — 2 packages, 0 migrations applied, 0 warnings` });

    // The no-op path hashes the package.json and manifest bytes discovery read: editing either defeats it.
    for (const file of ["packages/basic/src/database.ts", "packages/basic/package.json"]) {
      appendFileSync(join(root, file), "\n");
      expect({ file, stamp: report(migrate("--json")).bootStamp }).toEqual({ file, stamp: undefined });
      expect({ file, stamp: report(migrate("--json")).bootStamp }).toEqual({ file, stamp: true });
    }

    addPackage(root, "extra");
    const added = report(migrate("--json"));
    expect({ stamp: added.bootStamp, applied: added.steps.map((s) => `${s.package} ${s.id}`) }).toEqual({ stamp: undefined, applied: ["@ydtb/extra 0000_init", "@ydtb/extra 0001_workspace_rls"] });
   }, PROCESS_RUNS_TIMEOUT_MS);
});
