import { parseArgs } from "node:util";
import semver from "semver";
import { parseDuration } from "@ydtb/db-registry";
import { COMMAND_SPECS, COMMANDS, OPTIONS, type CommandName, type OptionName } from "./cli/command-specs.ts";
import { didYouMean } from "./cli/did-you-mean.ts";
import { UsageError } from "./errors.ts";

export { COMMANDS, type CommandName } from "./cli/command-specs.ts";

/** A `pkg@version` target. */
export interface VersionTarget {
  readonly package: string;
  readonly version: string;
}

/** A drizzle-kit history table, for every package or for one (`pkg=schema.table`). */
export interface DrizzleTableOption {
  readonly package?: string;
  readonly schema: string;
  readonly table: string;
}

/** A parsed command line. */
export interface Command {
  readonly name: CommandName;
  readonly json: boolean;
  readonly verbose: boolean;
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
  readonly connectTimeoutMs?: number;
  /** `status --migrations`. */
  readonly migrations: boolean;
  /** `sql --down`. */
  readonly down: boolean;
  /** `plan --sql`: print the SQL of every planned step. */
  readonly sql: boolean;
  /** `baseline --drizzle-table`. */
  readonly drizzleTables: readonly DrizzleTableOption[];
  /** `resolve --applied` / `--rolled-back`. */
  readonly resolveAs?: "applied" | "rolled-back";
  /** Positional arguments after the command (`sql pkg[@version] [id]`, `resolve pkg id`). */
  readonly args: readonly string[];
  /** `--help`: print the help of `name` (or the general help when `helpFor` is "general"). */
  readonly help: boolean;
  readonly helpFor?: "general";
  /** `--version`. */
  readonly version: boolean;
  /** validate: leave warnings out. */
  readonly errorsOnly: boolean;
  /** validate: report only these rules (repeatable). */
  readonly rules?: readonly string[];
  /** validate: report only these tables, by SQL name (repeatable). */
  readonly tables?: readonly string[];
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

const ALL_OPTIONS = Object.fromEntries(
  Object.entries(OPTIONS).map(([name, o]) => [name, { type: o.type, ...("short" in o ? { short: o.short } : {}), ...("multiple" in o ? { multiple: o.multiple } : {}) }]),
) as Record<OptionName, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/**
 * Parses `ydtb-db` arguments; throws `UsageError` (exit code 2) naming what is wrong and,
 * for a typo, what was probably meant.
 *
 * @example
 * parseCommand(["rollback", "--to", "@ydtb/basic@1.0.0", "--cascade"])
 */
export function parseCommand(argv: readonly string[]): Command {
  // A first, lenient pass finds the command and every option given, known or not.
  const loose = parseArgs({ args: [...argv], allowPositionals: true, strict: false, tokens: true, options: { ...ALL_OPTIONS, version: { type: "boolean", short: "v" } } });
  const [first, ...rest] = loose.positionals;
  const given = loose.tokens.filter((t) => t.kind === "option").map((t) => ({ name: t.name, raw: t.rawName }));
  if (!first) {
    // `--version --json` prints the version as JSON (as run-cli promises): keep the flag.
    if (given.some((o) => o.name === "version")) return { ...defaults("status"), version: true, json: given.some((o) => o.name === "json") };
    if (given.some((o) => o.name === "help") || given.length === 0) return { ...defaults("status"), help: true, helpFor: "general" };
    throw new UsageError(`no command given; run \`ydtb-db --help\` for the list`);
  }
  if (first === "help") {
    const about = rest[0];
    if (!about) return { ...defaults("status"), help: true, helpFor: "general" };
    return { ...defaults(commandName(about)), help: true };
  }
  const name = commandName(first);
  const spec = COMMAND_SPECS[name];
  for (const o of given) {
    if ((spec.options as readonly string[]).includes(o.name)) continue;
    const guess = didYouMean(o.name, spec.options);
    const elsewhere = COMMANDS.filter((c) => (COMMAND_SPECS[c].options as readonly string[]).includes(o.name));
    const hint = guess ? `; did you mean --${guess}?` : elsewhere.length ? ` (it is an option of ${elsewhere.join(", ")})` : "";
    throw new UsageError(`${name}: unknown option "${o.raw}"${hint}; run \`ydtb-db ${name} --help\``);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: pick(spec.options) });
  } catch (error) {
    // parseArgs says what is wrong with a value (a string option without one, …).
    throw new UsageError(`${name}: ${(error as Error).message}`);
  }
  const values = parsed.values as Partial<Record<OptionName, string | boolean | string[]>>;
  const str = (k: OptionName) => values[k] as string | undefined;
  const bool = (k: OptionName) => values[k] === true;
  if (bool("help")) return { ...defaults(name), help: true };
  if (rest.length > spec.positionals) throw new UsageError(`${name}: unexpected argument "${rest[spec.positionals]}"; usage: ydtb-db ${name} ${spec.usage}`);

  const to = str("to") === undefined ? undefined : parseTarget(str("to")!);
  const steps = str("steps") === undefined ? undefined : parseSteps(str("steps")!);
  if (to && steps !== undefined) throw new UsageError(`${name}: give either --to or --steps, not both`);
  if (name === "rollback" && !to && steps === undefined) throw new UsageError("rollback needs --to <package>@<version> or --steps <N>");
  if (name === "rollback" && str("package") !== undefined && (!to || to.package !== str("package"))) {
    throw new UsageError(`rollback --package: --steps counts across every package; to roll back one package, write --to ${str("package")}@<version> (its dependents are refused or, with --cascade, undone)`);
  }
  const mode = str("mode");
  if (mode !== undefined && mode !== "per-migration" && mode !== "all") throw new UsageError(`${name}: --mode must be "per-migration" or "all", not "${mode}"`);
  const format = str("format");
  if (format !== undefined && !["text", "mermaid", "dot"].includes(format)) throw new UsageError(`graph: --format must be text, mermaid or dot, not "${format}"`);
  if (name === "reset" && !bool("force")) throw new UsageError("reset drops every registered table and the history: confirm with --force");
  if (name === "sql" && rest.length === 0) throw new UsageError("sql needs a package: ydtb-db sql <pkg[@version]> [migration-id]");
  if (name === "resolve" && rest.length < 2) throw new UsageError("resolve needs a package and a migration id: ydtb-db resolve <pkg> <migration-id> --applied|--rolled-back");
  if (name === "resolve" && bool("applied") === bool("rolled-back")) throw new UsageError("resolve needs exactly one of --applied or --rolled-back");
  const drizzleTables = ((values["drizzle-table"] as string[] | undefined) ?? []).map(parseDrizzleTable);
  if (name === "baseline" && to && drizzleTables.length > 0) throw new UsageError("baseline: --to adopts by version (a database built by hand), --drizzle-table from drizzle's history: give one of them");
  if (bool("all") && bool("pending")) throw new UsageError(`${name}: give either --all or --pending, not both`);
  const lockRetries = str("lock-retries") === undefined ? undefined : parseLockRetries(str("lock-retries")!);
  const url = str("database-url");
  return {
    ...defaults(name),
    json: bool("json"),
    verbose: bool("verbose"),
    ...(to ? { to } : {}),
    ...(steps !== undefined ? { steps } : {}),
    cascade: bool("cascade"),
    dryRun: bool("dry-run"),
    force: bool("force"),
    allowOutOfOrder: bool("allow-out-of-order"),
    mode: (mode as Command["mode"] | undefined) ?? "per-migration",
    format: (format as Command["format"] | undefined) ?? "text",
    ...(str("package") ? { package: str("package") } : {}),
    ...(str("root") ? { root: str("root") } : {}),
    ...(url ? { databaseUrl: checkDatabaseUrl(url, "--database-url") } : {}),
    ...(str("data-dir") ? { dataDir: str("data-dir") } : {}),
    ...milliseconds("lock-timeout", str("lock-timeout"), "lockTimeoutMs"),
    ...milliseconds("connect-timeout", str("connect-timeout"), "connectTimeoutMs"),
    migrations: bool("migrations"),
    down: bool("down"),
    sql: bool("sql"),
    drizzleTables,
    ...(name === "resolve" ? { resolveAs: bool("applied") ? ("applied" as const) : ("rolled-back" as const) } : {}),
    args: rest,
    errorsOnly: bool("errors-only"),
    ...(Array.isArray(values.rule) && values.rule.length ? { rules: values.rule } : {}),
    ...(Array.isArray(values.table) && values.table.length ? { tables: values.table } : {}),
    strict: bool("strict"),
    all: bool("all"),
    pending: bool("pending"),
    strictVersions: bool("strict-versions"),
    ...duration("migration-lock-timeout", str("migration-lock-timeout"), "migrationLockTimeoutMs"),
    ...(lockRetries !== undefined ? { lockRetries } : {}),
    ...duration("statement-timeout", str("statement-timeout"), "statementTimeoutMs"),
  };
}

function commandName(text: string): CommandName {
  if ((COMMANDS as readonly string[]).includes(text)) return text as CommandName;
  const guess = didYouMean(text, COMMANDS);
  throw new UsageError(`unknown command "${text}"${guess ? `; did you mean "${guess}"?` : ""} Commands: ${COMMANDS.join(", ")}`);
}

function pick(names: readonly OptionName[]) {
  return Object.fromEntries(names.map((n) => [n, ALL_OPTIONS[n]])) as Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;
}

function defaults(name: CommandName): Command {
  return {
    name,
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
}

/** Only postgres:// and postgresql:// URLs name a PostgreSQL server; anything else is a usage error. */
export function checkDatabaseUrl(url: string, from: string): string {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new UsageError(`${from} is not a URL; write postgres://user@host:5432/database`);
  }
  if (protocol !== "postgres:" && protocol !== "postgresql:") {
    throw new UsageError(`${from} has the scheme "${protocol.replace(/:$/, "")}"; ydtb-db talks to PostgreSQL only: write postgres://user@host:5432/database`);
  }
  return url;
}

function milliseconds<K extends string>(option: string, text: string | undefined, key: K): Partial<Record<K, number>> {
  if (text === undefined) return {};
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`--${option} must be a number of milliseconds, not "${text}"`);
  return { [key]: n } as Partial<Record<K, number>>;
}

function duration<K extends string>(option: string, text: string | undefined, key: K): Partial<Record<K, number>> {
  if (text === undefined) return {};
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--${option} must be a duration such as 10s, 500ms or 2min, not "${text}"`);
  return { [key]: ms } as Partial<Record<K, number>>;
}

function parseLockRetries(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`--lock-retries must be a whole number ≥ 0, not "${text}"`);
  return n;
}

/** Parses `@scope/name@1.2.3`. */
export function parseTarget(text: string): VersionTarget {
  const at = text.lastIndexOf("@");
  const pkg = at > 0 ? text.slice(0, at) : "";
  const version = at > 0 ? text.slice(at + 1) : "";
  if (!pkg || !semver.valid(version)) throw new UsageError(`--to "${text}" is not <package>@<version>; write e.g. --to @ydtb/basic@1.0.0`);
  return { package: pkg, version };
}

/** Parses `schema.table` or `pkg=schema.table` (a bare `table` is in schema `drizzle`). */
export function parseDrizzleTable(text: string): DrizzleTableOption {
  const eq = text.lastIndexOf("=");
  const pkg = eq > 0 ? text.slice(0, eq) : undefined;
  const qualified = eq > 0 ? text.slice(eq + 1) : text;
  const parts = qualified.split(".");
  const ident = /^[A-Za-z_][A-Za-z0-9_$]*$/;
  const [schema, table] = parts.length === 1 ? ["drizzle", parts[0]!] : [parts[0]!, parts[1]!];
  if (parts.length > 2 || !ident.test(schema) || !ident.test(table)) {
    throw new UsageError(`--drizzle-table "${text}" is not [pkg=]schema.table; write e.g. --drizzle-table @ydtb/basic=drizzle.__drizzle_migrations`);
  }
  return { ...(pkg ? { package: pkg } : {}), schema, table };
}

function parseSteps(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--steps must be a positive whole number, not "${text}"`);
  return n;
}
