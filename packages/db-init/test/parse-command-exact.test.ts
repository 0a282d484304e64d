import { describe, expect, test } from "bun:test";
import { UsageError } from "../src/errors.ts";
import { parseCommand, parseDrizzleTable, parseTarget, type Command } from "../src/parse-command.ts";

// Every field of a bare command: a changed default shows here.
const DEFAULTS: Omit<Command, "name"> = {
  json: false,
  verbose: false,
  cascade: false,
  dryRun: false,
  force: false,
  allowOutOfOrder: false,
  mode: "per-migration",
  format: "text",
  migrations: false,
  down: false,
  sql: false,
  drizzleTables: [],
  args: [],
  help: false,
  version: false,
  errorsOnly: false,
  strict: false,
  all: false,
  pending: false,
  strictVersions: false,
};

const usageMessage = (argv: string[]): string => {
  try {
    parseCommand(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`${argv.join(" ")} parsed`);
};

describe("parseCommand, exactly", () => {
  test("a bare command is its defaults and nothing else", () => {
    expect(parseCommand(["migrate"])).toEqual({ name: "migrate", ...DEFAULTS });
    expect(parseCommand(["status"])).toEqual({ name: "status", ...DEFAULTS });
    expect(parseCommand(["--version"])).toEqual({ name: "status", ...DEFAULTS, version: true });
    expect(parseCommand(["help"])).toEqual({ name: "status", ...DEFAULTS, help: true, helpFor: "general" });
    expect(parseCommand(["help", "rollback"])).toEqual({ name: "rollback", ...DEFAULTS, help: true });
  });

  test("every option lands in its own field", () => {
    expect(
      parseCommand(["migrate", "--json", "--verbose", "--dry-run", "--allow-out-of-order", "--mode", "all", "--package", "@ydtb/basic", "--root", "/r", "--data-dir", "/d", "--lock-timeout", "0", "--connect-timeout", "7", "--migration-lock-timeout", "1s", "--lock-retries", "0", "--statement-timeout", "0"]),
    ).toEqual({
      name: "migrate",
      ...DEFAULTS,
      json: true,
      verbose: true,
      dryRun: true,
      allowOutOfOrder: true,
      mode: "all",
      package: "@ydtb/basic",
      root: "/r",
      dataDir: "/d",
      lockTimeoutMs: 0,
      connectTimeoutMs: 7,
      migrationLockTimeoutMs: 1000,
      lockRetries: 0,
      statementTimeoutMs: 0,
    });
    expect(parseCommand(["rollback", "--to", "@ydtb/basic@1.0.0", "--package", "@ydtb/basic", "--cascade"])).toEqual({
      name: "rollback",
      ...DEFAULTS,
      to: { package: "@ydtb/basic", version: "1.0.0" },
      package: "@ydtb/basic",
      cascade: true,
    });
    expect(parseCommand(["rollback", "--steps", "1"])).toEqual({ name: "rollback", ...DEFAULTS, steps: 1 });
    expect(parseCommand(["status", "--database-url", "postgresql://u@h:5432/d"])).toEqual({ name: "status", ...DEFAULTS, databaseUrl: "postgresql://u@h:5432/d" });
    expect(parseCommand(["resolve", "@ydtb/basic", "0001_pinned", "--applied"])).toEqual({ name: "resolve", ...DEFAULTS, args: ["@ydtb/basic", "0001_pinned"], resolveAs: "applied" });
    expect(parseCommand(["validate", "--rule", "naming", "--rule", "documentation", "--table", "ydtb_basic_notes", "--errors-only", "--strict"])).toEqual({
      name: "validate",
      ...DEFAULTS,
      rules: ["naming", "documentation"],
      tables: ["ydtb_basic_notes"],
      errorsOnly: true,
      strict: true,
    });
    expect(parseCommand(["graph", "--format", "dot"])).toEqual({ name: "graph", ...DEFAULTS, format: "dot" });
    expect(parseCommand(["lint", "--pending"])).toMatchObject({ pending: true, all: false });
    expect(parseCommand(["lint", "--all"])).toMatchObject({ pending: false, all: true });
  });

  test("targets and drizzle tables", () => {
    expect(parseTarget("@ydtb/basic@1.2.3-beta.1")).toEqual({ package: "@ydtb/basic", version: "1.2.3-beta.1" });
    expect(parseTarget("plain@2.0.0")).toEqual({ package: "plain", version: "2.0.0" });
    expect(parseTarget("a@0.1.0")).toEqual({ package: "a", version: "0.1.0" });
    expect(() => parseTarget("@1.0.0")).toThrow(UsageError);
    // No "@" at all: a bare version is not a target (no package), nor a bare scoped name.
    expect(() => parseTarget("1.0.0")).toThrow(UsageError);
    expect(() => parseTarget("@ydtb/basic")).toThrow(UsageError);
    expect(parseDrizzleTable("__drizzle_migrations")).toEqual({ schema: "drizzle", table: "__drizzle_migrations" });
    expect(parseDrizzleTable("@ydtb/basic=public.log")).toEqual({ package: "@ydtb/basic", schema: "public", table: "log" });
    expect(() => parseDrizzleTable("1bad.log")).toThrow(UsageError);
    expect(() => parseDrizzleTable("ok.2bad")).toThrow(UsageError);
  });

  test("usage errors name the command and the value at fault", () => {
    expect(usageMessage(["rollback", "--steps", "1.5"])).toBe(`--steps must be a positive whole number, not "1.5"`);
    expect(usageMessage(["migrate", "--lock-timeout", "1.5"])).toBe(`--lock-timeout must be a number of milliseconds, not "1.5"`);
    expect(usageMessage(["migrate", "--lock-retries", "two"])).toBe(`--lock-retries must be a whole number ≥ 0, not "two"`);
    expect(usageMessage(["status", "one", "two"])).toStartWith(`status: unexpected argument "one"`);
    expect(usageMessage(["sql", "a", "b", "c"])).toStartWith(`sql: unexpected argument "c"`);
    expect(usageMessage(["status", "--verbse"])).toBe(`status: unknown option "--verbse"; did you mean --verbose?; run \`ydtb-db status --help\``);
    expect(usageMessage(["resolve", "@ydtb/basic"])).toStartWith("resolve needs a package and a migration id");
  });
});
