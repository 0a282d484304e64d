import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { openDatabase } from "@ydtb/db-client";
import { createPgliteDataDir, describeDatabases } from "@ydtb/test-db";
import { runCli } from "../src/index.ts";
import { captureIO, repoRoot } from "./helpers.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Json = Record<string, any>;
const stepsOf = (report: Json) => report.steps.map((s: Json) => `${s.direction} ${s.package} ${s.id} ${s.status}`);

describeDatabases("ydtb-db --package and failures on a database", (target) => {
  test("migrate --package runs that package and what it needs, and leaves the others' tools; plan sees every package; failures keep their code and exit", async () => {
    let where: string[];
    if (target.kind === "postgres") {
      const db = await target.fresh();
      await db.close(); // the command line opens its own connection
      where = ["--database-url", (db as unknown as { url: string }).url];
    } else {
      const dir = await createPgliteDataDir("ydtb-cli-package-");
      dirs.push(dir);
      where = ["--data-dir", dir];
    }
    const run = async (argv: string[], env: Record<string, string> = {}) => {
      const c = captureIO(env);
      const code = await runCli([...argv, "--root", repoRoot, ...where], c.io);
      return { code, out: c.out.join("\n"), err: c.err.join("\n"), json: () => c.json<Json>() };
    };

    // Only @ydtb/core (basic depends on it, not the reverse): basic stays pending, no tool is synced.
    const core = await run(["migrate", "--package", "@ydtb/core", "--json"]);
    expect(core.code).toBe(0);
    const coreReport = core.json().report;
    expect(coreReport.packages.map((p: Json) => p.name)).toEqual(["@ydtb/core"]);
    expect(stepsOf(coreReport)).toEqual(["up @ydtb/core 0000_core applied", "up @ydtb/core 0001_tools_phase2 applied", "up @ydtb/core 0002_workspace_rls applied"]);
    expect(coreReport.tools).toEqual({ inserted: 0, updated: 0, deactivated: 0 });

    // basic brings what it needs (already there) and syncs its own tool.
    const basic = await run(["migrate", "--package", "@ydtb/basic", "--json"]);
    expect(basic.json().report.packages.map((p: Json) => p.name).sort()).toEqual(["@ydtb/basic", "@ydtb/core"]);
    expect(stepsOf(basic.json().report)).toEqual(["up @ydtb/basic 0000_notes applied", "up @ydtb/basic 0001_pinned applied", "up @ydtb/basic 0002_workspace_rls applied"]);
    expect(basic.json().report.tools).toEqual({ inserted: 1, updated: 0, deactivated: 0 });

    // core alone again: basic's tool is not deactivated (only the listed packages are synced).
    expect((await run(["migrate", "--package", "@ydtb/core", "--json"])).json().report.tools).toEqual({ inserted: 0, updated: 0, deactivated: 0 });
    const status = await run(["status", "--json"]);
    expect(status.json().packages.find((p: Json) => p.package === "@ydtb/basic").tools).toEqual([{ id: "notes", name: "Notes", active: true }]);

    // plan --package still sees basic, so rolling core back is refused for its dependent.
    const plan = await run(["plan", "--package", "@ydtb/core", "--to", "@ydtb/core@0.0.0", "--json"]);
    expect([plan.code, plan.json().error.code]).toEqual([1, "ROLLBACK_BLOCKED_BY_DEPENDENTS"]);

    // The same failure in text: the report on stdout, the command and the code on stderr.
    const text = await run(["rollback", "--to", "@ydtb/core@0.0.0"]);
    expect(text.code).toBe(1);
    expect(text.err.split("\n")[0]).toBe("ydtb-db rollback failed [ROLLBACK_BLOCKED_BY_DEPENDENTS]");
    expect(text.out).toContain("rollback failed in the migrate phase");

    // status of a package that is not registered: a usage error.
    const unknown = await run(["status", "--package", "@ydtb/nope", "--json"]);
    expect([unknown.code, unknown.json().error]).toEqual([2, { code: "USAGE", message: 'no registered package "@ydtb/nope"; registered: @ydtb/basic, @ydtb/core', causes: [] }]);

    // A bad YDTB_DB_STRICT_VERSIONS is a usage error naming the variable; nothing is migrated.
    const strict = await run(["migrate"], { YDTB_DB_STRICT_VERSIONS: "maybe" });
    expect(strict.code).toBe(2);
    expect(strict.err.split("\n")[0]).toStartWith('ydtb-db migrate failed [USAGE]: YDTB_DB_STRICT_VERSIONS="maybe" is not a flag');
    expect(strict.err).toContain("Run `ydtb-db migrate --help` for its options.");
    // In JSON the cause (the variable's TypeError) follows; with --verbose it keeps its stack.
    const causes = async (...extra: string[]) => (await run(["migrate", "--json", ...extra], { YDTB_DB_STRICT_VERSIONS: "maybe" })).json().error.causes as Json[];
    expect((await causes()).map((c) => [c.name, "stack" in c])).toEqual([["TypeError", false]]);
    const loud = await causes("--verbose");
    expect(loud.map((c) => [c.name, typeof c.stack === "string" && c.stack.includes("readStrictVersions")])).toEqual([["TypeError", true]]);

    // repair --package accepts the changed checksums of that package only; then the rest; then nothing is left.
    const direct = where[0] === "--database-url" ? await openDatabase({ url: where[1]! }) : await openDatabase({ dataDir: where[1]! });
    try {
      await direct.exec(`UPDATE ydtb_schema_migrations SET checksum = 'tampered' WHERE migration_id IN ('0000_notes', '0000_core')`);
    } finally {
      await direct.close();
    }
    const repaired = async (...extra: string[]) => ((await run(["repair", "--json", ...extra])).json().repaired as Json[]).map((r) => `${r.package} ${r.id} ${r.previous}`);
    expect(await repaired("--package", "@ydtb/basic")).toEqual(["@ydtb/basic 0000_notes tampered"]);
    expect(await repaired()).toEqual(["@ydtb/core 0000_core tampered"]);
    expect((await run(["repair"])).out).toBe("no checksum differs: nothing to repair");
  });
});
