/**
 * Re-runs the survivors of run.ts with the tests that reached them plus the given test files,
 * after copying the package's test folder into the tree.
 *
 * usage: bun tooling/mutate/recheck.ts <tree> <package> <extra-test-file>…
 * Writes .tmp/mutate/results/<package>.recheck.jsonl.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { mutantsOf } from "./generate.ts";

const [treeArg, pkg, ...extra] = process.argv.slice(2);
if (!treeArg || !pkg) throw new Error("usage: recheck.ts <tree> <package> <extra-test>…");
const root = resolve(import.meta.dir, "../..");
const pkgDir = join(resolve(treeArg), "packages", pkg);
cpSync(join(root, "packages", pkg, "test"), join(pkgDir, "test"), { recursive: true });
const tag = process.env.MUTATE_TAG ? `.${process.env.MUTATE_TAG}` : "";
const results = join(root, ".tmp/mutate/results", `${pkg}${tag}.jsonl`);
const out = join(root, ".tmp/mutate/results", `${pkg}${tag}.recheck.jsonl`);
writeFileSync(out, "");
const only = process.env.MUTATE_ONLY;
const serverFiles = (process.env.MUTATE_SERVER_FILES ?? "").split(",").filter(Boolean);
const TEST_TIMEOUT = process.env.MUTATE_TEST_TIMEOUT ?? "30000";
const PROCESS_TIMEOUT = process.env.MUTATE_PROCESS_TIMEOUT ?? "240";
const failures = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("(fail)") || l.includes("timed out after")).slice(0, 4);
for (const row of readFileSync(results, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))) {
  if (row.status !== "survived" && row.status !== "uncovered") continue;
  if (only && !row.file.includes(only)) continue;
  const [file, start, op, ...rest] = (row.key as string).split(":");
  const replacement = rest.join(":");
  const m = mutantsOf(join(pkgDir, file!)).find((x) => x.start === Number(start) && x.op === op && x.replacement === replacement);
  if (!m) throw new Error(`mutant ${row.key} not found`);
  const original = readFileSync(m.file, "utf8");
  writeFileSync(m.file, original.slice(0, m.start) + m.replacement + original.slice(m.end));
  let status: string;
  let failed: string[] = [];
  try {
    const env = { ...process.env };
    // Code only the server-only tests reach (MUTATE_SERVER_FILES, as in run.ts) keeps DATABASE_URL.
    if (!serverFiles.some((s) => row.file.includes(s))) {
      delete env.DATABASE_URL;
      delete env.TEST_DATABASE_URL;
    }
    const tests = [...new Set([...(row.tests as string[]), ...extra])];
    const proc = Bun.spawnSync(["timeout", PROCESS_TIMEOUT, "bun", "test", "--bail", "--timeout", TEST_TIMEOUT, ...tests], { cwd: pkgDir, env, stdout: "pipe", stderr: "pipe" });
      failed = failures(proc.stderr.toString());
    status = proc.exitCode === 0 ? "survived" : proc.exitCode === 124 ? "timeout" : "killed";
  } finally {
    writeFileSync(m.file, original);
  }
  appendFileSync(out, `${JSON.stringify({ ...row, status, ...(failed.length ? { failed } : {}) })}\n`);
  console.log(status.padEnd(9), `${file}:${row.line}`, row.op, JSON.stringify(row.original.slice(0, 60)), "→", JSON.stringify(row.replacement.slice(0, 40)));
}
