import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommand } from "../src/parse-command.ts";
import { targetOf } from "../src/cli/open-target.ts";
import { ExtensionUnavailableError, ResetRefusedError, UsageError, ValidationFailedError, checkWorkspaceRoot, findWorkspaceRoot, isIgnored, isInside, readStrictVersions, withDependencies } from "../src/index.ts";
import { CLI_VERSION, commandHelp, generalHelp, runCli } from "../src/index.ts";
import { captureIO, repoRoot, workspaceManifests } from "./helpers.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
};

test("YDTB_DB_STRICT_VERSIONS: 1/true (any case, spaces) on; unset, empty, 0/false off; anything else names the variable", () => {
  const read = (v: string | undefined) => readStrictVersions({ YDTB_DB_STRICT_VERSIONS: v });
  expect(["1", "true", " TRUE "].map(read)).toEqual([true, true, true]);
  expect([undefined, "", "0", "false", "False"].map(read)).toEqual([false, false, false, false, false]);
  const error = thrown(() => read("yes"));
  expect([error.constructor, error.message]).toEqual([
    TypeError,
    'YDTB_DB_STRICT_VERSIONS="yes" is not a flag; set it to 1 (refuse to start when the database is ahead of this code) or 0, or unset it',
  ]);
});

test("withDependencies: a package and what it needs, never its dependents; an unknown one lists the registered", async () => {
  const all = await workspaceManifests();
  expect(withDependencies(all, "@ydtb/basic").map((m) => m.packageName).sort()).toEqual(["@ydtb/basic", "@ydtb/core"]);
  expect(withDependencies(all, "@ydtb/core").map((m) => m.packageName)).toEqual(["@ydtb/core"]);
  const error = thrown(() => withDependencies(all, "@ydtb/nope"));
  expect(error).toBeInstanceOf(UsageError);
  expect(error.message).toBe(`no registered package "@ydtb/nope"; registered: ${all.map((m) => m.packageName).join(", ")}`);
});

test("the target: --database-url, else DATABASE_URL (checked, password masked), else PGlite in --data-dir or the app's folder", () => {
  const url = "postgres://app:s3cret@db:5432/prod";
  expect(targetOf(parseCommand(["status", "--database-url", url]), { DATABASE_URL: "postgres://other@h/x" }, "/cwd", "/root")).toEqual({ url, label: "postgres://app:***@db:5432/prod" });
  expect(targetOf(parseCommand(["status"]), { DATABASE_URL: url }, "/cwd", "/root")).toEqual({ url, label: "postgres://app:***@db:5432/prod" });
  expect(targetOf(parseCommand(["status"]), { DATABASE_URL: "" }, "/cwd", "/root")).toEqual({ dataDir: "/root/apps/core/.data", label: "pglite:/root/apps/core/.data" });
  expect(targetOf(parseCommand(["status", "--data-dir", "d"]), {}, "/cwd", "/root")).toEqual({ dataDir: "/cwd/d", label: "pglite:/cwd/d" });
  const bad = thrown(() => targetOf(parseCommand(["status"]), { DATABASE_URL: "mysql://root:pw@h/x" }, "/cwd", "/root"));
  expect([bad.constructor, (bad as UsageError).code, bad.message.startsWith('DATABASE_URL has the scheme "mysql"'), bad.message.includes("pw")]).toEqual([UsageError, "USAGE", true, false]);
  expect(thrown(() => parseCommand(["status", "--database-url", "not a url"])).message).toBe("--database-url is not a URL; write postgres://user@host:5432/database");
});

test("the workspace root: the nearest package.json with workspaces upwards; --root checked; a broken package.json named", () => {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-root-"));
  dirs.push(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "outer", workspaces: ["packages/*"] }));
  mkdirSync(join(dir, "packages", "a", "src"), { recursive: true });
  writeFileSync(join(dir, "packages", "a", "package.json"), JSON.stringify({ name: "a" }));
  expect(findWorkspaceRoot(join(dir, "packages", "a", "src"))).toBe(dir);
  expect(findWorkspaceRoot(join(repoRoot, "packages", "db-init", "src"))).toBe(repoRoot);
  expect(checkWorkspaceRoot(dir)).toBe(dir);
  const notRoot = thrown(() => checkWorkspaceRoot(join(dir, "packages", "a")));
  expect([notRoot.constructor, notRoot.message]).toEqual([UsageError, `--root ${join(dir, "packages", "a")} has no package.json with "workspaces"; pass the monorepo's root folder`]);
  expect(thrown(() => checkWorkspaceRoot(join(dir, "gone"))).message).toBe(`--root ${join(dir, "gone")} does not exist; pass the monorepo's root folder`);
  writeFileSync(join(dir, "packages", "a", "package.json"), "{ nope");
  const broken = thrown(() => findWorkspaceRoot(join(dir, "packages", "a")));
  expect([broken.constructor, broken.message.startsWith(`${join(dir, "packages", "a", "package.json")} is not valid JSON (`)]).toEqual([UsageError, true]);
  const none = mkdtempSync(join(tmpdir(), "ydtb-noroot-"));
  dirs.push(none);
  expect(thrown(() => findWorkspaceRoot(none)).message).toBe(`no package.json with "workspaces" above ${none}; run ydtb-db inside the monorepo or pass --root`);
});

test("watched paths: inside means the folder itself or below it, not a sibling with the same prefix; ignored folders at any depth", () => {
  expect([isInside("/r/packages/a", "/r/packages/a"), isInside("/r/packages/a/src/x.ts", "/r/packages/a"), isInside("/r/packages/a/x", "/r/packages/a/")]).toEqual([true, true, true]);
  expect([isInside("/r/packages/ab/x.ts", "/r/packages/a"), isInside("/r/packages", "/r/packages/a")]).toEqual([false, false]);
  expect([isIgnored("/r", "/r/packages/a/node_modules/x/index.js"), isIgnored("/r", "/r/apps/core/.data/PG_VERSION"), isIgnored("/r", "/r/packages/a/src/schema.ts")]).toEqual([true, true, false]);
});

test("error messages: reset names the environment and database; validation counts errors and packages; an unavailable extension says where to get it", () => {
  expect(new ResetRefusedError(undefined, "pglite:/d").message).toStartWith("reset refuses to empty pglite:/d: NODE_ENV is unset, which counts as production (as in the app)");
  expect(new ResetRefusedError("", "x").message).toContain("NODE_ENV is unset");
  expect(new ResetRefusedError("staging", "x").message).toContain('NODE_ENV is "staging", and reset drops');
  const d = (pkg: string) => ({ rule: "naming", severity: "error" as const, package: pkg, message: "m" });
  expect(new ValidationFailedError([d("@a/x")]).message).toStartWith('1 schema error in "@a/x": nothing was migrated');
  expect(new ValidationFailedError([d("@a/x"), d("@a/y"), d("@a/x")]).message).toStartWith('3 schema errors in "@a/x", "@a/y": nothing was migrated');
  const pglite = new ExtensionUnavailableError("vector", ["@a/x", "@a/y"], "pglite");
  expect([pglite.code, pglite.message]).toEqual([
    "EXTENSION_UNAVAILABLE",
    expect.stringMatching(/^the extension "vector" \(needed by "@a\/x", "@a\/y"\) is not available on this PGlite database: open it with openDatabase\(\{ extensions: \["vector"\] \}\)/),
  ]);
  expect(new ExtensionUnavailableError("vector", ["@a/x"], "postgres").message).toContain("is not available on this PostgreSQL server (not in pg_available_extensions)");
});

test("--version and help without a workspace: JSON when asked; a usage error in text goes to stderr only", async () => {
  const v = captureIO();
  expect(await runCli(["--version", "--json"], v.io)).toBe(0);
  expect(v.json()).toEqual({ ok: true, command: "version", version: CLI_VERSION });
  const h = captureIO();
  expect(await runCli(["help", "rollback"], h.io)).toBe(0);
  expect(h.out).toEqual([commandHelp("rollback")]);
  const bare = captureIO();
  expect(await runCli([], bare.io)).toBe(0);
  expect(bare.out).toEqual([generalHelp()]);
  // A usage error found after parsing: the command, the code and the message, then where to look.
  const root = captureIO();
  expect(await runCli(["status", "--root", "/nonexistent"], root.io)).toBe(2);
  expect([root.out, root.err]).toEqual([[], ["ydtb-db status failed [USAGE]: --root /nonexistent does not exist; pass the monorepo's root folder", "Run `ydtb-db status --help` for its options."]]);
  const bad = captureIO();
  expect(await runCli(["rollback", "--steps", "0"], bad.io)).toBe(2);
  expect([bad.out, bad.err]).toEqual([[], ['ydtb-db: --steps must be a positive whole number, not "0"']]);
});

test("graph in text: the order with each dependency's range, then every migration numbered with its release", async () => {
  const c = captureIO();
  expect(await runCli(["graph", "--root", repoRoot], c.io)).toBe(0);
  expect(c.out.join("\n").split("\n")).toEqual([
    "Migration order (dependencies first):",
    "  1. @ydtb/core",
    "  2. @ydtb/basic  ← @ydtb/core ^1.0.0",
    "",
    "Migrations, in the order they run on an empty database:",
    "    1. @ydtb/core 0000_core (1.0.0)",
    "    2. @ydtb/core 0001_tools_phase2 (1.0.0)",
    "    3. @ydtb/core 0002_workspace_rls (unreleased)",
    "    4. @ydtb/basic 0000_notes (1.0.0)",
    "    5. @ydtb/basic 0001_pinned (1.1.0)",
    "    6. @ydtb/basic 0002_workspace_rls (unreleased)",
  ]);
});
