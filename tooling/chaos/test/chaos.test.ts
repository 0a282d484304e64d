import { expect, test } from "bun:test";
import { serverUrl } from "@ydtb/test-db";
import { formatSummary, runChaos, SHORT_CHAOS } from "../src/index.ts";

// The short chaos run (the long one is `bun run chaos`). Without a server only the PGlite
// scenarios run; the seed is printed so a failure can be replayed with CHAOS_SEED.
test("short chaos run: racing boots, kills, a cut connection and bad endpoints all keep the invariants", async () => {
  const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
  const lines: string[] = [];
  const summaries = await runChaos({ ...SHORT_CHAOS, seed }, serverUrl(), (line) => lines.push(line));
  console.log(`chaos seed ${seed}\n${formatSummary(summaries)}`);
  const failures = summaries.filter((s) => s.failed > 0).map((s) => ({ scenario: s.scenario, kind: s.kind, problems: s.problems }));
  expect({ seed, failures }).toEqual({ seed, failures: [] });
  expect(summaries.some((s) => s.kind === "pglite")).toBe(true);
  if (serverUrl()) expect(summaries.filter((s) => s.kind === "postgres").length).toBeGreaterThanOrEqual(5);
});
