import { parseArgs } from "node:util";
import semver from "semver";
import { parseDuration } from "@ydtb/db-registry";
import { UsageError } from "./errors.ts";

/** Every command of `ydtb-db`. */
export const COMMANDS = ["validate", "plan", "migrate", "rollback", "status", "graph", "check", "repair", "reset", "attribute", "rules", "lint"] as const;
export type CommandName = (typeof COMMANDS)[number];

/** A `pkg@version` target. */
export interface VersionTarget {
  readonly package: string;
  readonly version: string;
}

/** A parsed command line. */
export interface Command {
  readonly name: CommandName;
  readonly json: boolean;
  readonly to?: VersionTarget;
  readonly steps?: number;
  readonly cascade: boolean;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly allowOutOfOrder: boolean;
  readonly mode: "per-migration" | "all";
  readonly format: "text" | "mermaid" | "dot";
  /** Restrict to one package (and, for migrate, what it depends on). */
  readonly package?: string;
  readonly root?: string;
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  readonly lockTimeoutMs?: number;
  readonly help: boolean;
  /** lint / validate: risky migrations are errors (exit 1), not warnings. */
  readonly strict: boolean;
  /** lint: every release's migrations, not only the unreleased ones. */
  readonly all: boolean;
  /** lint: the migrations the target database has not applied (what migrate would run). */
  readonly pending: boolean;
  /** Refuse to start when the database is ahead of this code (else: warn and run behind). Also `YDTB_DB_STRICT_VERSIONS=1`. */
  readonly strictVersions: boolean;
  /** `lock_timeout` of each migration statement, ms. */
  readonly migrationLockTimeoutMs?: number;
  /** Retries of a migration that timed out waiting for a table lock. */
  readonly lockRetries?: number;
  /** `statement_timeout` of each migration statement, ms (0: none). */
  readonly statementTimeoutMs?: number;
}

/** The command-line help text. */
export const USAGE = `Usage: ydtb-db <command> [options]

Commands:
  validate                      check every package's schema; exit 1 on any error
  plan                          show what migrate (or rollback with --to/--steps) would run
  migrate [--to pkg@version]    apply pending migrations (everything, or up to a package version)
          [--dry-run] [--mode per-migration|all] [--package name]
  rollback (--to pkg@version | --steps N) [--cascade] [--dry-run]
                                undo migrations; --cascade also undoes dependents that need them
  status                        per package: code version, database version, applied, pending
  graph [--format text|mermaid|dot]
                                the package dependency graph
  check [--package name]        on a scratch database: up → down → up gives the same schema,
                                and the Drizzle schema matches the migrations
  repair [--package name]       accept changed checksums of applied migrations (recorded)
  reset --force                 drop every registered table and the history (not in production)
  attribute                     assign unattributed migrations to the packages' current versions
  rules                         list the validation and lint rules
  lint [--package name] [--all | --pending] [--strict]
                                flag risky SQL in unreleased migrations (--all: every release;
                                --pending: what migrate would run on the target database),
                                each finding with file, line and the safe pattern

Options:
  --json                 machine-readable output (every reporting command)
  --root <dir>           monorepo root (default: found from the current directory)
  --database-url <url>   PostgreSQL URL (default: DATABASE_URL, else PGlite in apps/core/.data)
  --data-dir <dir>       PGlite directory
  --lock-timeout <ms>    how long to wait for another migrator (default 60000)
  --migration-lock-timeout <duration>
                         how long a migration statement waits for a table lock before the
                         migration is retried (e.g. 10s; default 5s; a migration's
                         "-- ydtb:lock-timeout" header and the manifest's lockTimeout win)
  --lock-retries <n>     retries after a table-lock timeout before failing (default 3)
  --statement-timeout <duration>
                         statement_timeout of migration statements (default none)
  --strict-versions      refuse to start when the database is ahead of this code
                         (also YDTB_DB_STRICT_VERSIONS=1); default: warn and run behind
  --allow-out-of-order   apply a new migration ordered before applied ones
  --strict               lint/validate: risky migrations fail (exit 1) instead of warning
  -h, --help             this text

Exit codes: 0 ok · 1 validation or migration failure · 2 usage error`;

/**
 * Parses `ydtb-db` arguments; throws `UsageError` (exit code 2) naming what is wrong.
 *
 * @example
 * parseCommand(["rollback", "--to", "@ydtb/basic@1.0.0", "--cascade"])
 */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: "boolean", default: false },
        to: { type: "string" },
        steps: { type: "string" },
        cascade: { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
        force: { type: "boolean", default: false },
        "allow-out-of-order": { type: "boolean", default: false },
        mode: { type: "string" },
        format: { type: "string" },
        package: { type: "string" },
        root: { type: "string" },
        "database-url": { type: "string" },
        "data-dir": { type: "string" },
        "lock-timeout": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        strict: { type: "boolean", default: false },
        all: { type: "boolean", default: false },
        pending: { type: "boolean", default: false },
        "strict-versions": { type: "boolean", default: false },
        "migration-lock-timeout": { type: "string" },
        "lock-retries": { type: "string" },
        "statement-timeout": { type: "string" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const name = positionals[0];
  if (values.help && !name) return { ...defaults("status"), help: true };
  if (!name) throw new UsageError("no command given; run `ydtb-db --help` for the list");
  if (!(COMMANDS as readonly string[]).includes(name)) throw new UsageError(`unknown command "${name}"; commands: ${COMMANDS.join(", ")}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}" after "${name}"`);
  const command = name as CommandName;

  const to = values.to === undefined ? undefined : parseTarget(values.to);
  const steps = values.steps === undefined ? undefined : parseSteps(values.steps);
  if (to && steps !== undefined) throw new UsageError("give either --to or --steps, not both");
  if (command === "rollback" && !to && steps === undefined) throw new UsageError("rollback needs --to <package>@<version> or --steps <N>");
  if (steps !== undefined && command !== "rollback" && command !== "plan") throw new UsageError("--steps is for rollback (and plan)");
  if (to && !["migrate", "rollback", "plan"].includes(command)) throw new UsageError(`--to is for migrate, rollback and plan, not ${command}`);
  if (values.mode !== undefined && values.mode !== "per-migration" && values.mode !== "all") throw new UsageError(`--mode must be "per-migration" or "all", not "${values.mode}"`);
  if (values.format !== undefined && !["text", "mermaid", "dot"].includes(values.format)) throw new UsageError(`--format must be text, mermaid or dot, not "${values.format}"`);
  const migrationLockTimeoutMs = optionalDuration("--migration-lock-timeout", values["migration-lock-timeout"]);
  const statementTimeoutMs = optionalDuration("--statement-timeout", values["statement-timeout"]);
  let lockRetries: number | undefined;
  if (values["lock-retries"] !== undefined) {
    lockRetries = Number(values["lock-retries"]);
    if (!Number.isInteger(lockRetries) || lockRetries < 0) throw new UsageError(`--lock-retries must be a whole number ≥ 0, not "${values["lock-retries"]}"`);
  }
  if ((values.all || values.pending) && command !== "lint") throw new UsageError(`--${values.all ? "all" : "pending"} is for lint`);
  if (values.all && values.pending) throw new UsageError("give either --all or --pending, not both");
  if (values.strict && command !== "lint" && command !== "validate") throw new UsageError("--strict is for lint and validate");
  if (command === "reset" && !values.force) throw new UsageError("reset drops every registered table and the history: confirm with --force");
  let lockTimeoutMs: number | undefined;
  if (values["lock-timeout"] !== undefined) {
    lockTimeoutMs = Number(values["lock-timeout"]);
    if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 0) throw new UsageError(`--lock-timeout must be a number of milliseconds, not "${values["lock-timeout"]}"`);
  }
  return {
    ...defaults(command),
    json: values.json ?? false,
    ...(to ? { to } : {}),
    ...(steps !== undefined ? { steps } : {}),
    cascade: values.cascade ?? false,
    dryRun: values["dry-run"] ?? false,
    force: values.force ?? false,
    allowOutOfOrder: values["allow-out-of-order"] ?? false,
    mode: (values.mode as Command["mode"] | undefined) ?? "per-migration",
    format: (values.format as Command["format"] | undefined) ?? "text",
    ...(values.package ? { package: values.package } : {}),
    ...(values.root ? { root: values.root } : {}),
    ...(values["database-url"] ? { databaseUrl: values["database-url"] } : {}),
    ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
    ...(lockTimeoutMs !== undefined ? { lockTimeoutMs } : {}),
    help: values.help ?? false,
    strict: values.strict ?? false,
    all: values.all ?? false,
    pending: values.pending ?? false,
    strictVersions: values["strict-versions"] ?? false,
    ...(migrationLockTimeoutMs !== undefined ? { migrationLockTimeoutMs } : {}),
    ...(lockRetries !== undefined ? { lockRetries } : {}),
    ...(statementTimeoutMs !== undefined ? { statementTimeoutMs } : {}),
  };
}

function optionalDuration(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`${flag} must be a duration such as 10s, 500ms or 2min, not "${text}"`);
  return ms;
}

function defaults(name: CommandName): Command {
  return { name, json: false, cascade: false, dryRun: false, force: false, allowOutOfOrder: false, mode: "per-migration", format: "text", help: false, strict: false, all: false, pending: false, strictVersions: false };
}

/** Parses `@scope/name@1.2.3`. */
export function parseTarget(text: string): VersionTarget {
  const at = text.lastIndexOf("@");
  const pkg = at > 0 ? text.slice(0, at) : "";
  const version = at > 0 ? text.slice(at + 1) : "";
  if (!pkg || !semver.valid(version)) throw new UsageError(`--to "${text}" is not <package>@<version>; write e.g. --to @ydtb/basic@1.0.0`);
  return { package: pkg, version };
}

function parseSteps(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--steps must be a positive whole number, not "${text}"`);
  return n;
}
