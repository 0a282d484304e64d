import { afterEach, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../src/run-cli.ts";
import { firstErrorLine } from "../src/run-drizzle-kit.ts";
import { repoRoot } from "./registry-seed.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { cwd, out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** A workspace with a copy of @ydtb/basic whose policy migration is not written yet. */
function workspaceWithoutPolicy(): string {
  // Inside the repository (under .tmp/, ignored by git) so the copies resolve drizzle-orm and @ydtb/*.
  mkdirSync(join(repoRoot, ".tmp"), { recursive: true });
  const root = mkdtempSync(join(repoRoot, ".tmp", "rls-cli-"));
  dirs.push(root);
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "copy", private: true, workspaces: ["packages/*"] }));
  for (const p of ["basic", "db-core"]) cpSync(join(repoRoot, "packages", p), join(root, "packages", p), { recursive: true, filter: (src) => !src.includes("node_modules") });
  symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"));
  const journalFile = join(root, "packages/basic/drizzle/meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag !== "0002_workspace_rls");
  writeFileSync(journalFile, JSON.stringify(journal, null, 2));
  for (const f of ["0002_workspace_rls.sql", "0002_workspace_rls.down.sql", "meta/0002_snapshot.json"]) rmSync(join(root, "packages/basic/drizzle", f));
  return root;
}

test("generate --check exits 1 naming the package; generate writes it; --check then exits 0", async () => {
  const root = workspaceWithoutPolicy();
  const basic = join(root, "packages/basic");
  const check = capture(basic);
  expect(await runCli(["generate", "--check"], check.io)).toBe(1);
  expect(check.out.join("\n")).toContain("@ydtb/basic: needs 0002_workspace_rls");
  const write = capture(basic);
  expect(await runCli(["generate", "--json"], write.io)).toBe(0);
  expect((JSON.parse(write.out.join("\n")) as { package: string; status: string }[]).map((r) => [r.package, r.status])).toEqual([["@ydtb/basic", "written"]]);
  expect(readFileSync(join(basic, "drizzle/0002_workspace_rls.sql"), "utf8")).toBe(readFileSync(join(repoRoot, "packages/basic/drizzle/0002_workspace_rls.sql"), "utf8"));
  const again = capture(root);
  expect(await runCli(["generate", "--check"], again.io)).toBe(0);
  expect(again.out).toHaveLength(2);
});

test("usage errors exit 2: no command, an unknown option without --drizzle-kit, an unknown package", async () => {
  const c = capture(repoRoot);
  expect(await runCli([], c.io)).toBe(2);
  expect(await runCli(["generate", "--name", "x"], c.io)).toBe(2);
  expect(await runCli(["generate", "--check", "--package", "@ydtb/nope"], c.io)).toBe(2);
  expect(await runCli(["generate", "--check", "--drizzle-kit"], c.io)).toBe(2);
  expect(await runCli(["--help"], c.io)).toBe(0);
});

test("--drizzle-kit: a schema drizzle-kit cannot import fails the run (drizzle-kit itself exits 0) and writes no policy migration", async () => {
  const root = workspaceWithoutPolicy();
  const basic = join(root, "packages/basic");
  const schemaFile = join(basic, "src/schema.ts");
  writeFileSync(schemaFile, `import "./no-such-module.ts";\n${readFileSync(schemaFile, "utf8")}`);
  const run = capture(basic);
  expect(await runCli(["generate", "--drizzle-kit"], run.io)).toBe(1);
  expect(run.err.join("\n")).toContain("Cannot find module './no-such-module.ts'");
  expect(run.err.join("\n")).toContain("no policy migration written");
  expect(existsSync(join(basic, "drizzle/0002_workspace_rls.sql"))).toBe(false);
}, 120_000);

test("firstErrorLine finds drizzle-kit's error lines and nothing in a clean run's output", () => {
  expect(firstErrorLine("Reading config\nError: Cannot find module './x.ts'\nRequire stack:")).toBe("Error: Cannot find module './x.ts'");
  expect(firstErrorLine("TypeError: x is not a function\n")).toBe("TypeError: x is not a function");
  expect(firstErrorLine("No schema changes, nothing to migrate 😴\n")).toBeUndefined();
  expect(firstErrorLine("")).toBeUndefined();
});
