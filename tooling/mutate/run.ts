/**
 * Runs a seeded sample of mutants, one at a time, against the tests that reach the mutated line
 * (per-test-file coverage from collect-coverage.sh). Works on a copy of the repository so the
 * working tree stays usable: `rsync` it first (see README).
 *
 * usage: bun tooling/mutate/run.ts <tree> <package> <count> <seed> <src-glob>…
 * Appends one JSON line per mutant to .tmp/mutate/results/<package>.jsonl (resumable).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Glob } from "bun";
import { mutantsOf, type Mutant } from "./generate.ts";

const [treeArg, pkg, countArg, seedArg, ...globs] = process.argv.slice(2);
if (!treeArg || !pkg || !countArg || !seedArg || globs.length === 0) throw new Error("usage: run.ts <tree> <package> <count> <seed> <glob>…");
const root = resolve(import.meta.dir, "../..");
const tree = resolve(treeArg);
const pkgDir = join(tree, "packages", pkg);
const covDir = join(root, ".tmp/mutate/cov", pkg);
const resultsDir = join(root, ".tmp/mutate/results");
mkdirSync(resultsDir, { recursive: true });
const resultsFile = join(resultsDir, `${pkg}${process.env.MUTATE_TAG ? `.${process.env.MUTATE_TAG}` : ""}.jsonl`);
const serverFiles = (process.env.MUTATE_SERVER_FILES ?? "").split(",").filter(Boolean);
/** Per-test and per-mutant limits; raise them on a loaded machine (a test timing out would count as a kill). */
const TEST_TIMEOUT = process.env.MUTATE_TEST_TIMEOUT ?? "30000";
const PROCESS_TIMEOUT = process.env.MUTATE_PROCESS_TIMEOUT ?? "240";
/** The failed tests bun names, so a kill by a timeout can be told from a failed assertion. */
const failures = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("(fail)") || l.includes("timed out after")).slice(0, 4);

/** file (relative to the package) → line → test files reaching it. */
function coverage(): Map<string, Map<number, Set<string>>> {
  const map = new Map<string, Map<number, Set<string>>>();
  for (const test of readdirSync(covDir)) {
    const lcov = join(covDir, test, "lcov.info");
    if (!existsSync(lcov)) continue;
    let file = "";
    for (const line of readFileSync(lcov, "utf8").split("\n")) {
      if (line.startsWith("SF:")) file = line.slice(3);
      const hit = /^DA:(\d+),(\d+)/.exec(line);
      if (hit && Number(hit[2]) > 0) {
        const lines = map.get(file) ?? new Map<number, Set<string>>();
        const set = lines.get(Number(hit[1])) ?? new Set<string>();
        set.add(`test/${test}.test.ts`);
        lines.set(Number(hit[1]), set);
        map.set(file, lines);
      }
    }
  }
  return map;
}

/** Seconds each test file took under coverage (times.txt): cheap files run first, so a kill comes sooner with --bail. */
function durations(): Map<string, number> {
  const file = join(root, ".tmp/mutate/cov/times.txt");
  const out = new Map<string, number>();
  for (const line of existsSync(file) ? readFileSync(file, "utf8").split("\n") : []) {
    const hit = /^(\S+) (\S+) rc=\d+ (\d+)s$/.exec(line);
    if (hit && hit[1] === pkg) out.set(`test/${hit[2]}.test.ts`, Number(hit[3]));
  }
  return out;
}
const took = durations();

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const cov = coverage();
const files = globs.flatMap((g) => [...new Glob(g).scanSync({ cwd: pkgDir })]).sort();
const all: Mutant[] = files.flatMap((f) => mutantsOf(join(pkgDir, f)));
const random = rng(Number(seedArg));
const shuffled = all.map((m) => [random(), m] as const).sort((a, b) => a[0] - b[0]).map(([, m]) => m);
// A fresh sample leaves out the mutants an earlier sample already tried (MUTATE_EXCLUDE: its results file).
const excluded = new Set(
  (process.env.MUTATE_EXCLUDE ? readFileSync(process.env.MUTATE_EXCLUDE, "utf8") : "").split("\n").filter(Boolean).map((l) => JSON.parse(l).key as string),
);
const sample = shuffled.filter((m) => !excluded.has(`${relative(pkgDir, m.file)}:${m.start}:${m.op}:${m.replacement}`)).slice(0, Number(countArg));
const done = new Set(existsSync(resultsFile) ? readFileSync(resultsFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l).key as string) : []);

for (const m of sample) {
  const file = relative(pkgDir, m.file);
  const key = `${file}:${m.start}:${m.op}:${m.replacement}`;
  if (done.has(key)) continue;
  const lines = cov.get(file);
  const tests = new Set<string>();
  for (let l = m.line; l >= m.line - 3 && tests.size === 0; l--) for (const t of lines?.get(l) ?? []) tests.add(t);
  // Lock code is exercised by server-only tests, absent from PGlite coverage.
  const server = serverFiles.some((s) => file.includes(s));
  if (server) for (const t of (process.env.MUTATE_SERVER_TESTS ?? "").split(",").filter(Boolean)) tests.add(t);
  const original = readFileSync(m.file, "utf8");
  let status: "killed" | "survived" | "uncovered" | "timeout" = "uncovered";
  let seconds = 0;
  let failed: string[] = [];
  if (tests.size > 0) {
    writeFileSync(m.file, original.slice(0, m.start) + m.replacement + original.slice(m.end));
    const started = Date.now();
    try {
      const env = { ...process.env };
      if (!server) {
        delete env.DATABASE_URL;
        delete env.TEST_DATABASE_URL;
      }
      // One process per test file, cheapest first, stopping at the first failure: bun orders the
      // files of one run itself, so one slow file would otherwise run before the one that kills.
      const ordered = [...tests].sort((a, b) => (took.get(a) ?? 0) - (took.get(b) ?? 0));
      status = "survived";
      for (const t of ordered) {
        const proc = Bun.spawnSync(["timeout", PROCESS_TIMEOUT, "bun", "test", "--bail", "--timeout", TEST_TIMEOUT, t], { cwd: pkgDir, env, stdout: "pipe", stderr: "pipe" });
        if (proc.exitCode === 0) continue;
        failed = failures(proc.stderr.toString());
        status = proc.exitCode === 124 ? "timeout" : "killed";
        break;
      }
    } finally {
      writeFileSync(m.file, original);
    }
    seconds = Math.round((Date.now() - started) / 1000);
  }
  const row = { key, file, line: m.line, op: m.op, original: m.original.slice(0, 120), replacement: m.replacement.slice(0, 120), status, seconds, tests: [...tests], ...(failed.length ? { failed } : {}) };
  appendFileSync(resultsFile, `${JSON.stringify(row)}\n`);
  console.log(status.padEnd(9), `${seconds}s`.padStart(4), `${file}:${m.line}`, m.op, JSON.stringify(m.original.slice(0, 60)), "→", JSON.stringify(m.replacement.slice(0, 40)));
}
