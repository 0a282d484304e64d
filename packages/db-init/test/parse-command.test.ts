import { describe, expect, test } from "bun:test";
import { UsageError } from "../src/errors.ts";
import { parseCommand } from "../src/parse-command.ts";

const usage = (argv: string[]) => {
  try {
    parseCommand(argv);
  } catch (error) {
    return error instanceof UsageError ? error.code : "other";
  }
  return "parsed";
};

describe("parseCommand", () => {
  test("reads commands and their options", () => {
    expect(parseCommand(["migrate", "--to", "@ydtb/basic@1.0.0", "--dry-run", "--json"])).toMatchObject({
      name: "migrate",
      to: { package: "@ydtb/basic", version: "1.0.0" },
      dryRun: true,
      json: true,
    });
    expect(parseCommand(["rollback", "--steps", "2", "--cascade"])).toMatchObject({ name: "rollback", steps: 2, cascade: true });
    expect(parseCommand(["graph", "--format", "mermaid"])).toMatchObject({ name: "graph", format: "mermaid" });
    expect(parseCommand(["migrate", "--mode", "all", "--lock-timeout", "500"])).toMatchObject({ mode: "all", lockTimeoutMs: 500 });
    expect(parseCommand(["migrate", "--migration-lock-timeout", "10s", "--lock-retries", "0", "--statement-timeout", "2min", "--strict-versions"])).toMatchObject({
      migrationLockTimeoutMs: 10_000,
      lockRetries: 0,
      statementTimeoutMs: 120_000,
      strictVersions: true,
    });
    expect(parseCommand(["reset", "--force"])).toMatchObject({ name: "reset", force: true });
    expect(parseCommand(["--help"]).help).toBe(true);
  });

  const bad: [string, string[]][] = [
    ["no command", []],
    ["an unknown command", ["explode"]],
    ["an unknown option", ["status", "--colour"]],
    ["rollback without a target", ["rollback"]],
    ["--to and --steps together", ["rollback", "--to", "@ydtb/basic@1.0.0", "--steps", "1"]],
    ["a malformed --to", ["migrate", "--to", "@ydtb/basic"]],
    ["a non-semver --to", ["migrate", "--to", "@ydtb/basic@one"]],
    ["--steps zero", ["rollback", "--steps", "0"]],
    ["--steps on migrate", ["migrate", "--steps", "1"]],
    ["--to on status", ["status", "--to", "@ydtb/basic@1.0.0"]],
    ["a bad --mode", ["migrate", "--mode", "some"]],
    ["a bad --format", ["graph", "--format", "png"]],
    ["reset without --force", ["reset"]],
    ["a bad --lock-timeout", ["migrate", "--lock-timeout", "soon"]],
    ["a bad --migration-lock-timeout", ["migrate", "--migration-lock-timeout", "10 seconds"]],
    ["a bad --statement-timeout", ["migrate", "--statement-timeout", "-1"]],
    ["a negative --lock-retries", ["migrate", "--lock-retries", "-1"]],
    ["--all with --pending", ["lint", "--all", "--pending"]],
    ["--pending outside lint", ["migrate", "--pending"]],
    ["a second positional", ["status", "extra"]],
  ];
  for (const [name, argv] of bad) test(`refuses ${name} as a usage error`, () => expect(usage(argv)).toBe("USAGE"));
});
