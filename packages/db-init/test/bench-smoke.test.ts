import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serverUrl } from "@ydtb/test-db";
import { repoRoot } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "ydtb-bench-smoke-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// `bun run bench` measures on the server and on PGlite; this runs it at a tiny size so it cannot
// rot. Figures are not asserted (speed lives in the bench), only that every one was produced.
const url = serverUrl();
if (url) {
  test("the bench runs at a tiny size and writes every figure", () => {
    const out = join(dir, "results.json");
    const run = Bun.spawnSync(["bun", join(repoRoot, "bench/index.ts"), "--size", "2x3", "--runs", "1", "--no-growth", "--out", out, "--url", url], { stdout: "pipe", stderr: "pipe" });
    expect({ code: run.exitCode, stderr: run.exitCode === 0 ? "" : run.stderr.toString() }).toEqual({ code: 0, stderr: "" });
    const results = JSON.parse(readFileSync(out, "utf8")) as {
      figures: { kind: string; migrations: number; cold: Record<string, number>; noop: Record<string, number> }[];
      validation: { tables: number; ms: number };
      peakRssMb: number;
    };
    expect(results.figures.map((f) => f.kind)).toEqual(["postgres", "pglite"]);
    for (const f of results.figures) {
      expect(f.migrations).toBe(2 * 3 + 3); // 2 packages × 3, and core's 3
      for (const value of [...Object.values(f.cold), ...Object.values(f.noop)]) expect(value).toBeGreaterThan(0);
    }
    expect(results.validation.tables).toBe(2 * 5 + 8);
    expect(results.peakRssMb).toBeGreaterThan(0);
    expect(run.stdout.toString()).toContain("ours/floor");
  });
}
