import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeServer, serverUrl } from "@ydtb/test-db";
import { repoRoot } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "ydtb-bench-smoke-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// `bun run bench` measures on the server and on PGlite; this proves the harness runs, at the
// smallest size, one run, no warm-up: not a measurement (no figure is asserted, speed lives in
// the bench), only that every figure was produced.
describeServer("bench", () => {
  test("the bench runs at a tiny size and writes every figure", () => {
    const out = join(dir, "results.json");
    const markdown = join(dir, "BENCHMARKS.md");
    const args = ["--size", "1x1", "--runs", "1", "--warmup", "0", "--no-growth", "--process-sizes", "1x1", "--process-runs", "1", "--no-rss", "--out", out, "--markdown", markdown, "--url", serverUrl()!];
    const run = Bun.spawnSync([process.execPath, join(repoRoot, "bench/index.ts"), ...args], { stdout: "pipe", stderr: "pipe" });
    expect({ code: run.exitCode, stderr: run.exitCode === 0 ? "" : run.stderr.toString() }).toEqual({ code: 0, stderr: "" });
    const results = JSON.parse(readFileSync(out, "utf8")) as {
      processes: { size: string; noop: Record<string, { wallMs: number; cpuMs: number }> }[];
      figures: { kind: string; migrations: number; cold: Record<string, number>; noop: Record<string, number> }[];
      validation: { tables: number; ms: number };
      targets: Record<string, { reached: boolean }>;
    };
    expect(results.processes.map((p) => [p.size, Object.keys(p.noop).sort()])).toEqual([["1x1", ["app", "cli", "drizzle", "floor"]]]);
    for (const cost of Object.values(results.processes[0]!.noop)) expect(cost.wallMs).toBeGreaterThan(0);
    expect(results.figures.map((f) => f.kind)).toEqual(["postgres", "pglite"]);
    for (const f of results.figures) {
      expect(f.migrations).toBe(1 + 3); // 1 package × 1, and core's 3
      for (const value of [...Object.values(f.cold), ...Object.values(f.noop)]) expect(value).toBeGreaterThan(0);
    }
    expect(results.validation.tables).toBe(5 + 8);
    // The RLS bench runs on the server only at this size (rlsBenchSize(1)): its two queries.
    expect(Object.keys(results.targets).sort()).toEqual(["coldVsFloor_1x1", "inProcessNoopVsDrizzle", "processNoopVsDrizzle", "rlsVsTransaction_postgres_all", "rlsVsTransaction_postgres_newest50"]);
    expect(readFileSync(markdown, "utf8")).toContain("bench:begin");
  });
});
