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
    expect(parseCommand(["--help"])).toMatchObject({ help: true, helpFor: "general" });
    expect(parseCommand([])).toMatchObject({ help: true, helpFor: "general" });
    expect(parseCommand(["migrate", "--help"])).toMatchObject({ name: "migrate", help: true });
    expect(parseCommand(["help", "sql"])).toMatchObject({ name: "sql", help: true });
    expect(parseCommand(["--version"]).version).toBe(true);
    expect(parseCommand(["migrate", "--connect-timeout", "2500"])).toMatchObject({ connectTimeoutMs: 2500 });
    expect(parseCommand(["sql", "@ydtb/basic@1.0.0", "0000_notes", "--down"])).toMatchObject({ name: "sql", args: ["@ydtb/basic@1.0.0", "0000_notes"], down: true });
    expect(parseCommand(["resolve", "@ydtb/basic", "0001_pinned", "--rolled-back"])).toMatchObject({ resolveAs: "rolled-back", args: ["@ydtb/basic", "0001_pinned"] });
    expect(parseCommand(["baseline", "--drizzle-table", "@ydtb/basic=drizzle.basic_log", "--drizzle-table", "other.log"]).drizzleTables).toEqual([
      { package: "@ydtb/basic", schema: "drizzle", table: "basic_log" },
      { schema: "other", table: "log" },
    ]);
    expect(parseCommand(["status", "--migrations", "--verbose"])).toMatchObject({ migrations: true, verbose: true });
  });

  test("a typo gets a suggestion: commands and options", () => {
    const message = (argv: string[]) => {
      try {
        parseCommand(argv);
      } catch (error) {
        return (error as Error).message;
      }
      return "parsed";
    };
    expect(message(["mirgate"])).toContain('did you mean "migrate"');
    expect(message(["status", "--migratons"])).toContain("did you mean --migrations");
    expect(message(["migrate", "--cascade"])).toContain("rollback");
  });

  const bad: [string, string[]][] = [
    ["no command", ["--json"]],
    ["a scheme other than postgres", ["status", "--database-url", "mysql://root@db:3306/app"]],
    ["a URL that is not one", ["status", "--database-url", "not a url"]],
    ["rollback --package with --steps", ["rollback", "--package", "@ydtb/basic", "--steps", "1"]],
    ["rollback --package naming another package than --to", ["rollback", "--package", "@ydtb/basic", "--to", "@ydtb/core@1.0.0"]],
    ["resolve without --applied or --rolled-back", ["resolve", "@ydtb/basic", "0000_notes"]],
    ["resolve with both", ["resolve", "@ydtb/basic", "0000_notes", "--applied", "--rolled-back"]],
    ["sql without a package", ["sql"]],
    ["baseline with --to and --drizzle-table", ["baseline", "--to", "@ydtb/basic@1.0.0", "--drizzle-table", "a.b"]],
    ["a malformed --drizzle-table", ["baseline", "--drizzle-table", "a.b.c"]],
    ["a bad --connect-timeout", ["status", "--connect-timeout", "-1"]],
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
