import { resolve } from "node:path";
import { rlsDrift } from "@ydtb/db-access";
import type { SqlSession } from "@ydtb/db-client";
import { discoverDatabases, type DatabaseManifest } from "@ydtb/db-registry";
import { DEPENDENCY_GRAPH_RULE, formatValidationReport, prepareSqlObjects, RULES, validateManifests } from "@ydtb/db-validate";
import { formatLintReport, LINT_RULES } from "@ydtb/db-lint";
import { attributeAll, buildPackageGraph, checkPackage, dependenciesOf, loadMigrations, orderPackages } from "@ydtb/db-migrate";
import { colorsFor, type Colors } from "./cli/colors.ts";
import { runDatabaseCommand } from "./cli/database-commands.ts";
import { errorCauses, formatCauses } from "./cli/describe-error.ts";
import { formatCheck, untestedByCheck, type CheckResult } from "./cli/format-output.ts";
import { CLI_VERSION, commandHelp, generalHelp } from "./cli/help-text.ts";
import { openTarget, targetOf } from "./cli/open-target.ts";
import { formatSqlPreview, sqlPreview } from "./cli/sql-preview.ts";
import { checkWorkspaceRoot, findWorkspaceRoot } from "./cli/workspace-root.ts";
import { neededExtensions } from "./ensure-extensions.ts";
import { InitFailedError, ResetRefusedError, UsageError } from "./errors.ts";
import { formatInitReport } from "./init-report.ts";
import { fingerprintChecks, formatFingerprintChecks, writeFingerprints } from "./fingerprint-report.ts";
import { lintDatabases, lintPending } from "./lint-databases.ts";
import { parseCommand, type Command } from "./parse-command.ts";
import { readStrictVersions } from "./strict-versions.ts";
import { formatGraph, packageEdges } from "./format-graph.ts";

/** Where the command line writes, and what it reads: injectable for tests. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Whether each stream is a terminal (colour). Default: neither. */
  readonly isTTY?: { readonly stdout: boolean; readonly stderr: boolean };
}

/** Exit codes of `ydtb-db`. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Error codes that mean the command line was called wrongly (exit 2), wherever they are thrown. */
const USAGE_CODES = new Set(["USAGE", "INVALID_DATABASE_URL"]);

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  cwd: process.cwd(),
  isTTY: { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
};

/**
 * Runs `ydtb-db` with the given arguments and returns the exit code (0 ok, 1 failure, 2 usage).
 * With `--json` stdout holds exactly one object: `{ ok: true, command, … }` on success,
 * `{ ok: false, command, error: { code, message, causes }, … }` on failure.
 *
 * @example
 * const code = await runCli(["status", "--json"]);
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const out = colorsFor({ isTTY: io.isTTY?.stdout ?? false, env: io.env });
  const err = colorsFor({ isTTY: io.isTTY?.stderr ?? false, env: io.env });
  const wantsJson = argv.includes("--json");
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (wantsJson) io.stdout(JSON.stringify({ ok: false, command: null, error: { code: error.code, message: error.message, causes: [] } }, null, 2));
    else io.stderr(`${err.red("ydtb-db:")} ${error.message}`);
    return EXIT.usage;
  }
  if (command.version) {
    io.stdout(command.json ? JSON.stringify({ ok: true, command: "version", version: CLI_VERSION }) : CLI_VERSION);
    return EXIT.ok;
  }
  if (command.help) {
    io.stdout(command.helpFor === "general" ? generalHelp() : commandHelp(command.name));
    return EXIT.ok;
  }
  const print = (payload: Record<string, unknown>, text: () => string, ok = true) =>
    io.stdout(command.json ? JSON.stringify({ ok, command: command.name, ...payload }, null, 2) : text());
  try {
    return await execute(command, io, print, out, err);
  } catch (error) {
    const causes = errorCauses(error).map(({ stack, ...c }) => (command.verbose ? { ...c, stack } : c));
    const code = causes[0]?.code && !(error instanceof InitFailedError) ? causes[0].code : error instanceof InitFailedError ? (error.report.error?.code ?? error.code) : "UNEXPECTED";
    const usage = USAGE_CODES.has(code);
    if (command.json) {
      const extra = error instanceof InitFailedError ? { report: error.report } : (error as { mismatches?: unknown }).mismatches ? { mismatches: (error as { mismatches: unknown }).mismatches } : {};
      print({ error: { code, message: error instanceof InitFailedError ? (error.report.error?.message ?? error.message) : (causes[0]?.message ?? String(error)), causes: causes.slice(1) }, ...extra }, () => "", false);
    } else if (error instanceof InitFailedError) {
      io.stdout(formatInitReport(error.report, { command: command.name }));
      io.stderr([`${err.red(`ydtb-db ${command.name} failed`)} [${code}]`, ...formatCauses(errorCauses(error.cause), command.verbose)].join("\n"));
    } else {
      io.stderr([`${err.red(`ydtb-db ${command.name} failed`)} [${code}]: ${causes[0]?.message ?? String(error)}`, ...formatCauses(errorCauses(error), command.verbose)].join("\n"));
      if (usage) io.stderr(`Run \`ydtb-db ${command.name} --help\` for its options.`);
    }
    return usage ? EXIT.usage : EXIT.failure;
  }
}

type Print = (payload: Record<string, unknown>, text: () => string, ok?: boolean) => void;

async function execute(command: Command, io: CliIO, print: Print, c: Colors, err: Colors): Promise<number> {
  if (command.name === "rules") {
    const lintRules = LINT_RULES.map((r) => ({ name: r.name, severity: "warning", description: r.description, safe: r.safe, kind: "lint" }));
    print({ rules: [...RULES, ...lintRules] }, () =>
      [
        ...RULES.map((r) => `${r.name.padEnd(28)} ${r.severity.padEnd(8)} ${r.description}`),
        "",
        "Migration lint (warnings; errors with --strict):",
        ...lintRules.map((r) => `${r.name.padEnd(32)} ${r.description}`),
      ].join("\n"),
    );
    return EXIT.ok;
  }
  const root = command.root ? checkWorkspaceRoot(resolve(io.cwd, command.root)) : findWorkspaceRoot(io.cwd);
  const found = await discoverDatabases(root);
  const failures = found.failures.map((f) => ({ package: f.packageName, file: f.file, message: f.message, causes: errorCauses(f.cause).map(({ stack, ...x }) => (command.verbose ? { ...x, stack } : x)) }));
  const describeFailures = () => failures.map((f) => [`  ${f.package} (${f.file}): ${f.message}`, ...formatCauses(f.causes, command.verbose)].join("\n"));
  if (failures.length > 0 && command.name !== "validate") {
    print({ error: { code: "DISCOVERY_FAILED", message: `${failures.length} manifest(s) failed to load: nothing was done`, causes: [] }, discoveryFailures: failures }, () =>
      `${err.red(`ydtb-db ${command.name} failed`)} [DISCOVERY_FAILED]: manifests that failed to load (nothing was done):\n${describeFailures().join("\n")}`, false);
    return EXIT.failure;
  }
  const all = found.manifests;
  // validate reports graph problems itself: it must not fail on them building the selection.
  const selected = command.package && command.name !== "validate" ? withDependencies(all, command.package) : all;

  switch (command.name) {
    case "validate": {
      const unknownRule = command.rules?.find((r) => r !== DEPENDENCY_GRAPH_RULE && !RULES.some((x) => x.name === r));
      if (unknownRule) throw new UsageError(`validate: --rule "${unknownRule}" is not a rule; rules: ${[...RULES.map((r) => r.name), DEPENDENCY_GRAPH_RULE].join(", ")}`);
      if (command.package && !all.some((m) => m.packageName === command.package)) throw new UsageError(`validate: no registered package "${command.package}"`);
      // sql-objects reads the functions and roles of every package's SQL migrations: parse them first.
      await prepareSqlObjects(all);
      // Every package is validated against the others; only the selected one is reported.
      const report = validateManifests(all, {
        ...(command.package ? { packages: [command.package] } : {}),
        ...(command.rules ? { rules: command.rules } : {}),
        ...(command.tables ? { tables: command.tables } : {}),
        errorsOnly: command.errorsOnly,
      });
      const reported = command.package ? all.filter((m) => m.packageName === command.package) : all;
      // The migrations not released yet are what ships next: lint them too.
      const lint = await lintDatabases(reported, { strict: command.strict, rootDir: root });
      // A stale fingerprint would let a no-op boot miss an edited migration: it fails validate.
      const fingerprints = fingerprintChecks(reported);
      const ok = report.ok && failures.length === 0 && lint.ok && fingerprints.every((f) => f.status !== "stale");
      print(
        { ...report, ok, lint, fingerprints, discoveryFailures: failures },
        () => [formatValidationReport(report, { verbose: command.verbose }), formatLintReport(lint), ...formatFingerprintChecks(fingerprints), ...describeFailures()].join("\n"),
        ok,
      );
      return ok ? EXIT.ok : EXIT.failure;
    }
    case "lint": {
      const targets = command.package ? all.filter((m) => m.packageName === command.package) : all;
      if (targets.length === 0) throw new UsageError(`lint: no registered package "${command.package}"`);
      if (command.pending) break;
      const report = await lintDatabases(targets, { strict: command.strict, scope: command.all ? "all" : "unreleased", rootDir: root });
      const hint = report.linted === 0 && !command.all ? "\nNo migration is unreleased: --all lints every release, --pending what migrate would run here." : "";
      print({ ...report }, () => formatLintReport(report) + hint, report.ok);
      return report.ok ? EXIT.ok : EXIT.failure;
    }
    case "graph": {
      const order = orderPackages(all);
      const edges = packageEdges(all);
      const loaded = loadMigrations(all);
      const migrations = order.flatMap((name) => (loaded.find((p) => p.packageName === name)?.migrations ?? []).map((m) => ({ package: name, id: m.id, version: m.version })));
      print({ order, edges, migrations }, () =>
        command.format === "text"
          ? [formatGraph(order, edges, "text"), "", "Migrations, in the order they run on an empty database:", ...migrations.map((m, i) => `  ${String(i + 1).padStart(3)}. ${m.package} ${m.id} (${m.version ?? "unreleased"})`)].join("\n")
          : formatGraph(order, edges, command.format),
      );
      return EXIT.ok;
    }
    case "sql": {
      const preview = sqlPreview(all, command.args[0]!, command.args[1], command.down ? "down" : "up");
      print({ ...preview }, () => formatSqlPreview(preview));
      return EXIT.ok;
    }
    case "attribute": {
      const results = attributeAll(all);
      // The versions file is part of the fingerprint: rewrite it where attribution changed that file.
      writeFingerprints(all.filter((m) => results.some((r) => r.written && r.package === m.packageName)));
      print({ results }, () => results.map((r) => `${r.package}: ${r.message}`).join("\n") || "nothing to attribute");
      return EXIT.ok;
    }
    case "fingerprint": {
      const written = writeFingerprints(selected.filter((m) => !command.package || m.packageName === command.package));
      print({ fingerprints: written }, () => written.map((w) => `${w.package}: ${w.file ?? "TypeScript migrations: no fingerprint needed"}`).join("\n"));
      return EXIT.ok;
    }
    case "check": {
      const targets = command.package ? all.filter((m) => m.packageName === command.package) : all;
      if (targets.length === 0) throw new UsageError(`check: no registered package "${command.package}"`);
      const results: CheckResult[] = [];
      // Row-level security on the migrated scratch database, against what the registry asks for.
      const afterMigrations = async (db: SqlSession, m: DatabaseManifest) => (await rlsDrift(db, [m])).map((d) => d.message);
      for (const m of targets) results.push({ ...(await checkPackage(m, all, { afterMigrations })), untested: untestedByCheck(m) });
      const ok = results.every((r) => r.ok);
      print({ packages: results }, () => results.map((r) => formatCheck(r, c)).join("\n"), ok);
      return ok ? EXIT.ok : EXIT.failure;
    }
    default:
      break;
  }

  const target = targetOf(command, io.env, io.cwd, root);
  if (command.name === "reset" && !isDevelopmentOrTest(io.env.NODE_ENV)) throw new ResetRefusedError(io.env.NODE_ENV, target.label);
  // Manifests are known before the database opens, so PGlite loads the extensions they need.
  const db = await openTarget(command, target, neededExtensions(all), (text) => io.stderr(err.yellow(text)));
  try {
    if (command.name === "lint") {
      // lint --pending: what migrate would run on this database.
      const report = await lintPending(db, command.package ? all.filter((m) => m.packageName === command.package) : all, { strict: command.strict, rootDir: root });
      print({ ...report }, () => formatLintReport(report) + (report.linted === 0 ? "\nNo migration is pending on this database." : ""), report.ok);
      return report.ok ? EXIT.ok : EXIT.failure;
    }
    return await runDatabaseCommand({ command, db, all, selected, print, note: io.stderr, colors: c, strictVersionsEnv: () => strictVersionsOf(io.env) });
  } finally {
    await db.close();
  }
}

/** Destructive commands run only where NODE_ENV says development or test (any case); unset counts as production, as in the app. */
export function isDevelopmentOrTest(nodeEnv: string | undefined): boolean {
  const env = nodeEnv?.trim().toLowerCase();
  return env === "development" || env === "test";
}

/** A package and, transitively, what it depends on (so it can be migrated on its own). */
export function withDependencies(all: readonly DatabaseManifest[], name: string): DatabaseManifest[] {
  if (!all.some((m) => m.packageName === name)) throw new UsageError(`no registered package "${name}"; registered: ${all.map((m) => m.packageName).join(", ")}`);
  const keep = new Set([name, ...dependenciesOf(buildPackageGraph(all), name)]);
  return all.filter((m) => keep.has(m.packageName));
}

function strictVersionsOf(env: CliIO["env"]): boolean {
  try {
    return readStrictVersions(env);
  } catch (error) {
    // A bad value in the environment is a usage error (exit 2); the message names the variable and the values.
    throw new UsageError((error as Error).message, { cause: error });
  }
}
