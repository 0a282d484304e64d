import { expect, test } from "bun:test";
import { RULES } from "@ydtb/db-validate";
import { runCli } from "../src/index.ts";
import { captureIO, repoRoot } from "./helpers.ts";

test("rules: every validation rule with its severity, then the lint rules; exit 0", async () => {
  const c = captureIO();
  expect(await runCli(["rules", "--root", repoRoot], c.io)).toBe(0);
  const lines = c.out.join("\n").split("\n");
  expect(lines.slice(0, RULES.length).map((l) => l.split(/\s+/).slice(0, 2))).toEqual(RULES.map((r) => [r.name, r.severity]));
  expect(lines[RULES.length + 1]).toBe("Migration lint (warnings; errors with --strict):");
});

test("check: an unknown package is a usage error (exit 2); a package that round-trips exits 0 with its steps", async () => {
  const unknown = captureIO();
  expect(await runCli(["check", "--package", "@ydtb/nope", "--json", "--root", repoRoot], unknown.io)).toBe(2);
  expect(unknown.json()).toMatchObject({ ok: false, command: "check", error: { code: "USAGE" } });

  const basic = captureIO();
  expect(await runCli(["check", "--package", "@ydtb/basic", "--json", "--root", repoRoot], basic.io)).toBe(0);
  const report = basic.json<{ ok: boolean; packages: { package: string; ok: boolean; untested: string[]; upDownUp: { id: string; ok: boolean }[] }[] }>();
  expect(report.ok).toBe(true);
  expect(report.packages.map((p) => [p.package, p.ok, p.untested, p.upDownUp.map((s) => [s.id, s.ok])])).toEqual([
    ["@ydtb/basic", true, [], [["0000_notes", true], ["0001_pinned", true], ["0002_workspace_rls", true]]],
  ]);
}, 60_000);
