/** Every command of `ydtb-db`. */
export const COMMANDS = ["validate", "plan", "migrate", "rollback", "status", "graph", "sql", "check", "repair", "baseline", "resolve", "reset", "attribute", "fingerprint", "rules", "lint"] as const;
export type CommandName = (typeof COMMANDS)[number];

/** An option of the command line, as `util.parseArgs` reads it, with its help line. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
  /** Shown after the option name in help, e.g. `<ms>`. */
  readonly value?: string;
  readonly help: string;
}

/** Every option any command takes; each command lists the ones it accepts. */
export const OPTIONS = {
  json: { type: "boolean", help: "machine-readable output: one JSON object, `ok` true or false" },
  root: { type: "string", value: "<dir>", help: "monorepo root (default: found from the current directory)" },
  verbose: { type: "boolean", help: "print the causes' stack traces on failure (validate: also every documentation warning on its own line)" },
  help: { type: "boolean", short: "h", help: "help for this command" },
  "database-url": { type: "string", value: "<url>", help: "postgres:// URL (default: DATABASE_URL, else PGlite in apps/core/.data)" },
  "data-dir": { type: "string", value: "<dir>", help: "PGlite directory (when no URL is given)" },
  "lock-timeout": { type: "string", value: "<ms>", help: "how long to wait for another migrator or a busy PGlite directory (default 60000)" },
  "connect-timeout": { type: "string", value: "<ms>", help: "how long to wait for the server to answer (default: the client's, 10000)" },
  to: { type: "string", value: "<pkg@version>", help: "target package version" },
  steps: { type: "string", value: "<N>", help: "undo the last N applied migrations" },
  cascade: { type: "boolean", help: "also undo dependents that need what is rolled back" },
  "dry-run": { type: "boolean", help: "plan under the lock, change nothing" },
  force: { type: "boolean", help: "confirm a destructive command" },
  "allow-out-of-order": { type: "boolean", help: "apply a new migration ordered before applied ones" },
  mode: { type: "string", value: "per-migration|all", help: "one transaction per migration (default) or one for the whole plan" },
  format: { type: "string", value: "text|mermaid|dot", help: "graph output format (default text)" },
  package: { type: "string", value: "<name>", help: "only this package" },
  migrations: { type: "boolean", help: "list every migration with when and by whom it was applied" },
  down: { type: "boolean", help: "print the down SQL (what a rollback would run)" },
  sql: { type: "boolean", help: "print the SQL of every planned step, in order" },
  "drizzle-table": {
    type: "string",
    multiple: true,
    value: "[pkg=]schema.table",
    help: 'drizzle-kit history table (default "drizzle"."__drizzle_migrations"); repeat with pkg= for one per package',
  },
  applied: { type: "boolean", help: "record the migration as applied (its SQL is not run)" },
  "rolled-back": { type: "boolean", help: "record the migration as rolled back (its down is not run)" },
  "errors-only": { type: "boolean", help: "leave warnings out of the report" },
  rule: { type: "string", multiple: true, value: "<name>", help: "only this rule's diagnostics (repeatable; `ydtb-db rules` lists them)" },
  table: { type: "string", multiple: true, value: "<sql name>", help: "only this table's diagnostics (repeatable)" },
  strict: { type: "boolean", help: "risky migrations (lint findings) fail with exit 1 instead of warning" },
  all: { type: "boolean", help: "lint every release's migrations, not only the unreleased ones" },
  pending: { type: "boolean", help: "lint what migrate would run on the target database" },
  "strict-versions": { type: "boolean", help: "refuse to start when the database is ahead of this code (also YDTB_DB_STRICT_VERSIONS=1); default: warn and run behind" },
  "migration-lock-timeout": {
    type: "string",
    value: "<duration>",
    help: 'how long a migration statement waits for a table lock before the migration is retried (e.g. 10s; default 5s; a migration\'s "-- ydtb:lock-timeout" header and the manifest\'s lockTimeout win)',
  },
  "lock-retries": { type: "string", value: "<n>", help: "retries after a table-lock timeout before failing (default 3)" },
  "statement-timeout": { type: "string", value: "<duration>", help: "statement_timeout of migration statements (e.g. 90s; default none)" },
} as const satisfies Record<string, OptionSpec>;
export type OptionName = keyof typeof OPTIONS;

/** What a command is, takes and shows, for parsing and for `--help`. */
export interface CommandSpec {
  readonly summary: string;
  /** The synopsis after `ydtb-db <name>`. */
  readonly usage: string;
  /** Positional arguments it takes, at most. */
  readonly positionals: number;
  readonly options: readonly OptionName[];
  readonly examples: readonly string[];
  /** What `--json` prints, in one line. */
  readonly json?: string;
}

const common = ["json", "root", "verbose", "help"] as const;
const db = ["database-url", "data-dir", "lock-timeout", "connect-timeout"] as const;
/** How migrations run: refuse a newer database, wait for table locks, bound statements. */
const run = ["strict-versions", "migration-lock-timeout", "lock-retries", "statement-timeout"] as const;

/** The commands, their options and examples: the single source of help and parsing. */
export const COMMAND_SPECS: Readonly<Record<CommandName, CommandSpec>> = {
  validate: {
    summary: "check every package's schema and the dependency graph against the rules, lint the unreleased migrations and check the migrations fingerprints; exit 1 on any error (or stale fingerprint) in the packages reported",
    usage: "[--package <name>] [--errors-only] [--rule <name>]... [--table <sql name>]... [--strict]",
    positionals: 0,
    options: [...common, "package", "errors-only", "rule", "table", "strict"],
    examples: [
      "ydtb-db validate",
      "ydtb-db validate --package @ydtb/basic --json",
      "ydtb-db validate --errors-only",
      "ydtb-db validate --rule unique-includes-workspace --table ydtb_basic_notes",
      "ydtb-db validate --package @ydtb/basic --verbose",
      "ydtb-db validate --strict",
    ],
    json: "{ ok, command, errorCount, warningCount, packages: [{ package, ok, errorCount, warningCount, diagnostics, ignoredExports }], lint: LintReport, fingerprints: [{ package, status: current|stale|missing, changed, file? }], discoveryFailures }",
  },
  plan: {
    summary: "show what migrate (or rollback with --to/--steps) would run, without running it",
    usage: "[--to <pkg@version> | --steps <N>] [--cascade]",
    positionals: 0,
    options: [...common, ...db, ...run, "to", "steps", "cascade", "allow-out-of-order", "package", "sql"],
    examples: ["ydtb-db plan", "ydtb-db plan --to @ydtb/basic@1.0.0", "ydtb-db plan --steps 1 --sql"],
    json: "{ ok, command, plan: { target, order, steps: [{ package, id, version, direction, reason }], ahead, heldBack }, sql?: [{ package, direction, migrations }] }",
  },
  migrate: {
    summary: "apply pending migrations: everything, or up to a package version",
    usage: "[--to <pkg@version>] [--package <name>] [--dry-run] [--mode per-migration|all]",
    positionals: 0,
    options: [...common, ...db, ...run, "to", "dry-run", "mode", "package", "allow-out-of-order"],
    examples: [
      "ydtb-db migrate",
      "ydtb-db migrate --package @ydtb/basic",
      "DATABASE_URL=postgres://postgres@127.0.0.1:5432/app ydtb-db migrate --mode all",
      "ydtb-db migrate --migration-lock-timeout 10s --lock-retries 5 --statement-timeout 2min",
      "ydtb-db migrate --strict-versions",
    ],
    json: "{ ok, command, report: InitReport } (dry run: { ok, command, plan })",
  },
  rollback: {
    summary: "undo migrations down to a package version, or the last N",
    usage: "(--to <pkg@version> | --steps <N>) [--cascade] [--dry-run]",
    positionals: 0,
    options: [...common, ...db, ...run, "to", "steps", "cascade", "dry-run", "mode", "package"],
    examples: ["ydtb-db rollback --steps 1", "ydtb-db rollback --to @ydtb/basic@1.0.0 --dry-run", "ydtb-db rollback --to @ydtb/core@0.0.0 --cascade"],
    json: "{ ok, command, report: InitReport } (dry run: { ok, command, plan })",
  },
  status: {
    summary: "per package: code version, database version, applied, pending, tools",
    usage: "[--migrations] [--package <name>]",
    positionals: 0,
    options: [...common, ...db, "migrations", "package"],
    examples: ["ydtb-db status", "ydtb-db status --migrations --package @ydtb/basic"],
    json: "{ ok, command, database, packages: [{ package, codeVersion, databaseVersion, applied, pending, tools, migrations? }] }",
  },
  graph: {
    summary: "the package dependency graph and the order migrations run in",
    usage: "[--format text|mermaid|dot]",
    positionals: 0,
    options: [...common, "format"],
    examples: ["ydtb-db graph", "ydtb-db graph --format mermaid"],
    json: "{ ok, command, order, edges: [{ from, to, range }], migrations: [{ package, id, version }] }",
  },
  sql: {
    summary: "print a package's migration SQL, up or down, without a database (`plan --sql` for this database's plan)",
    usage: "<pkg[@version]> [migration-id] [--down]",
    positionals: 2,
    options: [...common, "down"],
    examples: ["ydtb-db sql @ydtb/basic", "ydtb-db sql @ydtb/basic@1.1.0", "ydtb-db sql @ydtb/basic 0001_pinned --down"],
    json: "{ ok, command, package, direction, migrations: [{ id, version, transaction, statements }] }",
  },
  check: {
    summary: "on a scratch database: up → down → up gives the same schema, and the Drizzle schema matches the migrations",
    usage: "[--package <name>]",
    positionals: 0,
    options: [...common, "package"],
    examples: ["ydtb-db check", "ydtb-db check --package @ydtb/basic"],
    json: "{ ok, command, packages: [{ package, ok, upDownUp, drift, untested }] }",
  },
  repair: {
    summary: "accept changed checksums of applied migrations (recorded in the history)",
    usage: "[--package <name>]",
    positionals: 0,
    options: [...common, ...db, "package"],
    examples: ["ydtb-db repair --package @ydtb/basic"],
    json: "{ ok, command, repaired: [{ package, id, previous, checksum }] }",
  },
  baseline: {
    summary: "adopt a database migrated by drizzle-kit (or, with --to, one built by hand): record its migrations as applied without running them",
    usage: "[--drizzle-table [pkg=]schema.table]... | --to <pkg@version>",
    positionals: 0,
    options: [...common, ...db, "drizzle-table", "to", "dry-run"],
    examples: [
      "ydtb-db baseline --dry-run",
      "ydtb-db baseline --drizzle-table @ydtb/basic=drizzle.basic_migrations",
      "ydtb-db baseline --to @ydtb/basic@1.0.0",
    ],
    json: "{ ok, command, adopted: [{ package, id, source }], alreadyApplied, mismatches: [{ package?, id?, kind, message }] }",
  },
  resolve: {
    summary: "record one migration as applied or rolled back, by hand, without running it",
    usage: "<pkg> <migration-id> (--applied | --rolled-back)",
    positionals: 2,
    options: [...common, ...db, "applied", "rolled-back"],
    examples: ["ydtb-db resolve @ydtb/basic 0001_pinned --applied", "ydtb-db resolve @ydtb/basic 0001_pinned --rolled-back"],
    json: "{ ok, command, package, id, direction }",
  },
  reset: {
    summary: "drop every registered table and the history (only when NODE_ENV is development or test)",
    usage: "--force",
    positionals: 0,
    options: [...common, ...db, "force"],
    examples: ["NODE_ENV=development ydtb-db reset --force"],
    json: "{ ok, command, database, tables }",
  },
  attribute: {
    summary: "assign unattributed migrations to the packages' current versions (migrations.versions.json)",
    usage: "",
    positionals: 0,
    options: [...common],
    examples: ["ydtb-db attribute"],
    json: "{ ok, command, results: [{ package, version, attributed, written, file?, message }] } (rewrites the fingerprint of each package whose versions file it changed)",
  },
  fingerprint: {
    summary:
      "write each drizzle folder's meta/_ydtb_fingerprint.json from its files (db:generate runs it), so a no-op boot need not read every migration; `validate` fails on a stale one",
    usage: "[--package <name>]",
    positionals: 0,
    options: [...common, "package"],
    examples: ["ydtb-db fingerprint", "ydtb-db fingerprint --package @ydtb/basic", "ydtb-db fingerprint --json"],
    json: "{ ok, command, fingerprints: [{ package, file? }] } (no file: TypeScript migrations, nothing to write)",
  },
  rules: {
    summary: "list the validation rules and the migration lint rules",
    usage: "",
    positionals: 0,
    options: [...common],
    examples: ["ydtb-db rules --json"],
    json: "{ ok, command, rules: [{ name, severity, description, kind?: \"lint\", safe? }] }",
  },
  lint: {
    summary: "flag risky SQL in unreleased migrations (what would lock a table or break a rolling deploy), each with file, line and the safe pattern",
    usage: "[--package <name>] [--all | --pending] [--strict]",
    positionals: 0,
    options: [...common, ...db, "package", "all", "pending", "strict"],
    examples: ["ydtb-db lint", "ydtb-db lint --all --strict", "ydtb-db lint --pending --package @ydtb/basic", "ydtb-db lint --json"],
    json: "{ ok, command, linted, findings: [{ rule, severity, package, migration, file, line, column, message, safe }], exempted }",
  },
};
