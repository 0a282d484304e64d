import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "@ydtb/db-client";
import { createRegistry } from "@ydtb/db-registry";
import { formatWatchEvent, watchDatabases, watchTargets } from "../src/index.ts";
import { workspaceManifests } from "./helpers.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A workspace with the given `workspaces` and database packages at the given folders. */
function workspace(patterns: string[], packages: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "ydtb-watch-targets-"));
  dirs.push(root);
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "root", workspaces: patterns }));
  for (const p of packages) {
    mkdirSync(join(root, p, "src"), { recursive: true });
    writeFileSync(join(root, p, "package.json"), JSON.stringify({ name: `@t/${p.replace(/\//g, "-")}` }));
    writeFileSync(join(root, p, "src", "database.ts"), "export default {};\n");
  }
  return root;
}

test("watch targets: each pattern's fixed folder recursively, a folder named directly, never a missing one; the root flat when a pattern sits directly under it", () => {
  const root = workspace(["packages/*", "solo", "gone/*", "!packages/skip"], ["packages/a", "solo"]);
  const errors: string[] = [];
  expect(watchTargets(root, (m) => errors.push(m))).toEqual([
    { dir: join(root, "packages"), recursive: true },
    { dir: join(root, "solo"), recursive: true },
    { dir: root, recursive: false },
  ]);
  expect(errors).toEqual([]);
  // A pattern matching the root's own folders: not the root recursively (node_modules), each package instead.
  const star = workspace(["*"], ["x", "y"]);
  expect(watchTargets(star, () => {})).toEqual([
    { dir: join(star, "x"), recursive: true },
    { dir: join(star, "y"), recursive: true },
    { dir: star, recursive: false },
  ]);
  // Without a root flat pattern, the root is not watched.
  const nested = workspace(["libs/*/pkgs/*"], ["libs/one/pkgs/p"]);
  expect(watchTargets(nested, () => {})).toEqual([{ dir: join(nested, "libs"), recursive: true }]);
});

test("an unreadable workspace is reported once, and nothing is watched", () => {
  const root = mkdtempSync(join(tmpdir(), "ydtb-watch-broken-"));
  dirs.push(root);
  writeFileSync(join(root, "package.json"), "{ broken");
  const errors: string[] = [];
  expect(watchTargets(root, (m) => errors.push(m))).toEqual([]);
  expect(errors).toEqual([`reading the workspace in ${root} failed`]);
});

test("watch lines, exactly", () => {
  const root = "/r";
  const diagnostic = { rule: "naming", severity: "warning" as const, package: "@t/a", table: "t_a", column: "c", message: "bad name", suggestion: "rename it" };
  expect(formatWatchEvent({ kind: "registered", package: "@t/a", warnings: [] }, root)).toBe("ydtb-db watch: registered @t/a");
  expect(formatWatchEvent({ kind: "replaced", package: "@t/a", changes: { versionChanged: true, tablesAdded: ["t_b"], tablesRemoved: [], tablesAltered: ["t_a"] }, warnings: [] } as never, root)).toBe(
    "ydtb-db watch: replaced @t/a (tables added: t_b; tables altered: t_a; version changed)",
  );
  expect(formatWatchEvent({ kind: "replaced", package: "@t/a", changes: { versionChanged: false, tablesAdded: [], tablesRemoved: ["t_c"], tablesAltered: [] }, warnings: [] } as never, root)).toBe(
    "ydtb-db watch: replaced @t/a (tables removed: t_c)",
  );
  expect(formatWatchEvent({ kind: "replaced", package: "@t/a", changes: { versionChanged: false, tablesAdded: [], tablesRemoved: [], tablesAltered: [] }, warnings: [] } as never, root)).toBe(
    "ydtb-db watch: replaced @t/a (no table changes)",
  );
  expect(formatWatchEvent({ kind: "diagnostics", package: "@t/a", diagnostics: [diagnostic] } as never, root)).toBe(
    "ydtb-db watch: diagnostics @t/a: 1 warning\n    warning [naming] @t/a t_a.c: bad name\n      fix: rename it",
  );
  expect(formatWatchEvent({ kind: "diagnostics", package: "@t/a", diagnostics: [{ ...diagnostic, column: undefined, suggestion: undefined }, { ...diagnostic, table: undefined }] } as never, root)).toBe(
    "ydtb-db watch: diagnostics @t/a: 2 warnings\n    warning [naming] @t/a t_a: bad name\n    warning [naming] @t/a: bad name\n      fix: rename it",
  );
  expect(formatWatchEvent({ kind: "migrated", steps: [{ package: "@t/a", id: "0001_x", direction: "up", status: "applied", ms: 1 }, { package: "@t/a", id: "0002_y", direction: "up", status: "applied", ms: 1 }] }, root)).toBe(
    "ydtb-db watch: migrated 2 steps\n    applied up @t/a 0001_x\n    applied up @t/a 0002_y",
  );
  expect(formatWatchEvent({ kind: "reloaded", ok: false, files: [], packages: ["@t/a", "@t/b"] }, root)).toBe("ydtb-db watch: reloaded with errors (last good state kept): @t/a, @t/b");
  expect(formatWatchEvent({ kind: "reloaded", ok: true, files: [], packages: [] }, root)).toBe("ydtb-db watch: reloaded: no package changed");
  const causes = [
    { name: "Error", message: "outer", stack: "Error: outer\n    at one" },
    { code: "E_IN", name: "Error", message: "inner", location: "/r/packages/a/src/database.ts:3:5", stack: "Error: inner\n    at two" },
  ];
  expect(formatWatchEvent({ kind: "error", phase: "discover", code: "DISCOVERY_FAILED", message: "it broke", package: "@t/a", file: "/r/packages/a/src/database.ts", causes }, root)).toBe(
    "ydtb-db watch: error [DISCOVERY_FAILED] discover @t/a (packages/a/src/database.ts): it broke\n  caused by: [E_IN] inner\n    at /r/packages/a/src/database.ts:3:5",
  );
  // An unexpected failure keeps its stacks.
  expect(formatWatchEvent({ kind: "error", phase: "watch", code: "UNEXPECTED", message: "boom", causes }, root)).toBe(
    "ydtb-db watch: error [UNEXPECTED] watch: boom\n    Error: outer\n        at one\n  caused by: [E_IN] inner\n    at /r/packages/a/src/database.ts:3:5\n    Error: inner\n        at two",
  );
});

test("the watcher: one start-up line, registry events as lines and events, a throwing listener printed not thrown, nothing after close", async () => {
  const root = workspace(["packages/*", "solo"], ["packages/a", "solo"]);
  const registry = createRegistry({ mode: "development" });
  const lines: [string, string][] = [];
  const seen: string[] = [];
  const watcher = watchDatabases({
    db: {} as Database, // no file changes: no reload, so the database is never used
    rootDir: root,
    registry,
    log: (line, level) => lines.push([level, line]),
    onEvent: (e) => {
      seen.push(e.kind);
      throw new Error("listener boom");
    },
  });
  expect(lines).toEqual([["info", "ydtb-db watch: watching 3 folders for schema, migration and package changes"]]);
  const [core] = await workspaceManifests();
  registry.registerDatabase(core!);
  expect(seen).toEqual(["registered"]);
  expect(lines.slice(1).map(([level, line]) => [level, line.split("\n")[0]])).toEqual([
    ["info", `ydtb-db watch: registered ${core!.packageName}`],
    ["error", "ydtb-db watch: an onEvent listener threw: Error: listener boom"],
  ]);
  await watcher.close();
  registry.unregisterDatabase(core!.packageName);
  expect([seen, lines.length]).toEqual([["registered"], 3]);

  // An unreadable workspace: reported as an error line, and nothing is watched.
  const broken = mkdtempSync(join(tmpdir(), "ydtb-watch-broken-"));
  dirs.push(broken);
  writeFileSync(join(broken, "package.json"), "{ broken");
  const brokenLines: [string, string][] = [];
  const none = watchDatabases({ db: {} as Database, rootDir: broken, registry, log: (line, level) => brokenLines.push([level, line]) });
  await none.close();
  expect(brokenLines.map(([level, line]) => [level, line.split("\n")[0]!.replace(/ failed: .*$/, " failed")])).toEqual([
    ["error", `ydtb-db watch: error [UNEXPECTED] watch: reading the workspace in ${broken} failed`],
    ["info", "ydtb-db watch: watching 0 folders for schema, migration and package changes"],
  ]);
});
