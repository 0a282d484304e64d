import { parseArgs } from "node:util";
import semver from "semver";
import { UsageError } from "./errors.ts";

/** Every command of `ydtb-db`. */
export const COMMANDS = ["validate", "plan", "migrate", "rollback", "status", "graph", "check", "repair", "reset", "attribute", "fingerprint", "rules"] as const;
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
  /** validate: leave warnings out. */
  readonly errorsOnly: boolean;
  /** validate: report only these rules (repeatable). */
  readonly rules?: readonly string[];
  /** validate: report only these tables, by SQL name (repeatable). */
  readonly tables?: readonly string[];
  /** validate: every documentation warning on its own line. */
  readonly verbose: boolean;
}

/** The command-line help text. */
export const USAGE = `Usage: ydtb-db <command> [options]

Commands:
  validate [--package name] [--errors-only] [--rule r]... [--table t]... [--verbose]
                                check every package's schema and the dependency graph;
                                exit 1 on any error in the packages reported
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
  fingerprint [--package name]  write each drizzle folder's meta/_ydtb_fingerprint.json from its
                                files (after db:generate), so a no-op boot need not read them
  rules                         list the validation rules

Options:
  --json                 machine-readable output (every reporting command)
  --root <dir>           monorepo root (default: found from the current directory)
  --database-url <url>   PostgreSQL URL (default: DATABASE_URL, else PGlite in apps/core/.data)
  --data-dir <dir>       PGlite directory
  --lock-timeout <ms>    how long to wait for another migrator (default 60000)
  --allow-out-of-order   apply a new migration ordered before applied ones
  --errors-only          validate: leave warnings out
  --rule <name>          validate: only this rule's diagnostics (repeatable; \`rules\` lists them)
  --table <sql name>     validate: only this table's diagnostics (repeatable)
  --verbose              validate: each documentation warning on its own line
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
        "errors-only": { type: "boolean", default: false },
        rule: { type: "string", multiple: true },
        table: { type: "string", multiple: true },
        verbose: { type: "boolean", default: false },
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
  for (const flag of ["errors-only", "rule", "table"] as const) {
    const given = Array.isArray(values[flag]) ? (values[flag] as string[]).length > 0 : values[flag] === true;
    if (given && command !== "validate") throw new UsageError(`--${flag} is for validate, not ${command}`);
  }
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
    errorsOnly: values["errors-only"] ?? false,
    ...(values.rule?.length ? { rules: values.rule } : {}),
    ...(values.table?.length ? { tables: values.table } : {}),
    verbose: values.verbose ?? false,
  };
}

function defaults(name: CommandName): Command {
  return { name, json: false, cascade: false, dryRun: false, force: false, allowOutOfOrder: false, mode: "per-migration", format: "text", help: false, errorsOnly: false, verbose: false };
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
