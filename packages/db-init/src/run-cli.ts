import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { openDatabase, type Database } from "@ydtb/db-client";
import { listTools } from "@ydtb/db-core";
import { discoverDatabases, type DatabaseManifest } from "@ydtb/db-registry";
import { DEPENDENCY_GRAPH_RULE, formatValidationReport, RULES, validateManifests } from "@ydtb/db-validate";
import {
  attributeAll,
  buildPackageGraph,
  checkPackage,
  DEFAULT_LOCK_TIMEOUT_MS,
  dependenciesOf,
  dropEverything,
  loadPackageMigrations,
  migrate,
  migrationStatus,
  orderPackages,
  repairChecksums,
  type MigrateOptions,
  type MigrationTarget,
} from "@ydtb/db-migrate";
import { InitFailedError, ResetRefusedError, UsageError } from "./errors.ts";
import { formatInitReport } from "./init-report.ts";
import { initDatabase } from "./init-database.ts";
import { parseCommand, USAGE, type Command } from "./parse-command.ts";
import { fingerprintChecks, formatFingerprintChecks, writeFingerprints } from "./fingerprint-report.ts";
import { formatGraph, packageEdges } from "./format-graph.ts";

/** Where the command line writes, and what it reads: injectable for tests. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Exit codes of `ydtb-db`. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  cwd: process.cwd(),
};

/** Finds the monorepo root: the nearest folder upwards whose package.json has `workspaces`. */
export function findWorkspaceRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { workspaces?: unknown }).workspaces) return dir;
    const up = dirname(dir);
    if (up === dir) throw new UsageError(`no package.json with "workspaces" above ${from}; run ydtb-db inside the monorepo or pass --root`);
    dir = up;
  }
}

/** The PGlite directory the app uses, which the command line targets without DATABASE_URL. */
export function defaultDataDir(root: string): string {
  return join(root, "apps/core/.data");
}

/**
 * Runs `ydtb-db` with the given arguments and returns the exit code (0 ok, 1 failure, 2 usage).
 *
 * @example
 * const code = await runCli(["status", "--json"]);
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ydtb-db: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    throw error;
  }
  if (command.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const print = (value: unknown, text: () => string) => io.stdout(command.json ? JSON.stringify(value, null, 2) : text());
  try {
    return await execute(command, io, print);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ydtb-db: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof InitFailedError) {
      print({ ok: false, report: error.report }, () => formatInitReport(error.report));
      return EXIT.failure;
    }
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (command.json) io.stdout(JSON.stringify({ ok: false, error: { code: typeof code === "string" ? code : "UNEXPECTED", message } }, null, 2));
    else io.stderr(`ydtb-db ${command.name} failed${typeof code === "string" ? ` [${code}]` : ""}: ${message}`);
    return EXIT.failure;
  }
}

type Print = (value: unknown, text: () => string) => void;

async function execute(command: Command, io: CliIO, print: Print): Promise<number> {
  if (command.name === "rules") {
    print(RULES, () => RULES.map((r) => `${r.name.padEnd(28)} ${r.severity.padEnd(8)} ${r.description}`).join("\n"));
    return EXIT.ok;
  }
  const root = command.root ? resolve(io.cwd, command.root) : findWorkspaceRoot(io.cwd);
  const found = await discoverDatabases(root);
  const failures = found.failures.map((f) => ({ package: f.packageName, file: f.file, message: f.message }));
  if (failures.length > 0 && command.name !== "validate") {
    print({ ok: false, discoveryFailures: failures }, () => `Manifests that failed to load (nothing was done):\n${failures.map((f) => `  ${f.package} (${f.file}): ${f.message}`).join("\n")}`);
    return EXIT.failure;
  }
  const all = found.manifests;
  // validate reports graph problems itself: it must not fail on them building the selection.
  const selected = command.package && command.name !== "validate" ? withDependencies(all, command.package) : all;

  switch (command.name) {
    case "validate": {
      const unknownRule = command.rules?.find((r) => r !== DEPENDENCY_GRAPH_RULE && !RULES.some((x) => x.name === r));
      if (unknownRule) throw new UsageError(`--rule "${unknownRule}" is not a rule; rules: ${[...RULES.map((r) => r.name), DEPENDENCY_GRAPH_RULE].join(", ")}`);
      if (command.package && !all.some((m) => m.packageName === command.package)) throw new UsageError(`no registered package "${command.package}"`);
      // Every package is validated against the others; only the selected one is reported.
      const report = validateManifests(all, {
        ...(command.package ? { packages: [command.package] } : {}),
        ...(command.rules ? { rules: command.rules } : {}),
        ...(command.tables ? { tables: command.tables } : {}),
        errorsOnly: command.errorsOnly,
      });
      const fingerprints = fingerprintChecks(command.package ? all.filter((m) => m.packageName === command.package) : all);
      const ok = report.ok && failures.length === 0 && fingerprints.every((c) => c.status !== "stale");
      print({ ...report, ok, discoveryFailures: failures, fingerprints }, () =>
        [formatValidationReport(report, { verbose: command.verbose }), ...formatFingerprintChecks(fingerprints), ...failures.map((f) => `${f.package} (${f.file}): ${f.message}`)].join("\n"),
      );
      return ok ? EXIT.ok : EXIT.failure;
    }
    case "graph": {
      const order = orderPackages(all);
      const edges = packageEdges(all);
      print({ order, edges }, () => formatGraph(order, edges, command.format));
      return EXIT.ok;
    }
    case "attribute": {
      const results = attributeAll(all);
      // The versions file is part of the fingerprint: rewrite it where attribution changed that file.
      writeFingerprints(all.filter((m) => results.some((r) => r.written && r.package === m.packageName)));
      print(results, () => results.map((r) => `${r.package}: ${r.message}`).join("\n") || "nothing to attribute");
      return EXIT.ok;
    }
    case "fingerprint": {
      const written = writeFingerprints(selected.filter((m) => !command.package || m.packageName === command.package));
      print(written, () => written.map((w) => `${w.package}: ${w.file ?? "TypeScript migrations: no fingerprint needed"}`).join("\n"));
      return EXIT.ok;
    }
    case "check": {
      const targets = command.package ? all.filter((m) => m.packageName === command.package) : all;
      if (targets.length === 0) throw new UsageError(`no registered package "${command.package}"`);
      const results: (Awaited<ReturnType<typeof checkPackage>> & { readonly untested: readonly string[] })[] = [];
      for (const m of targets) results.push({ ...(await checkPackage(m, all)), untested: untestedByCheck(m) });
      const ok = results.every((r) => r.ok);
      print({ ok, packages: results }, () => results.map(formatCheck).join("\n"));
      return ok ? EXIT.ok : EXIT.failure;
    }
    default:
      break;
  }

  if (command.name === "reset" && io.env.NODE_ENV === "production") throw new ResetRefusedError();
  const db = await openTarget(command, io, root);
  try {
    switch (command.name) {
      case "status": {
        const status = await databaseStatus(db, all);
        print(status, () => formatStatus(status));
        return EXIT.ok;
      }
      case "plan":
      case "migrate":
      case "rollback": {
        const target: MigrationTarget = command.to
          ? { kind: "version", package: command.to.package, version: command.to.version }
          : command.steps !== undefined
            ? { kind: "steps", steps: command.steps }
            : { kind: "latest" };
        const options: Omit<MigrateOptions, "onProgress"> = {
          target,
          mode: command.mode,
          cascade: command.cascade,
          allowOutOfOrder: command.allowOutOfOrder,
          dryRun: command.dryRun || command.name === "plan",
          ...(command.lockTimeoutMs !== undefined ? { lockTimeoutMs: command.lockTimeoutMs } : {}),
        };
        const { report, migration } = await initDatabase({
          db,
          // --package narrows migrate to a package and what it needs; a rollback must see every
          // package, or it could not find (and refuse or cascade to) the dependents.
          manifests: command.name === "migrate" ? selected : all,
          partial: command.name === "migrate" && selected.length < all.length,
          mode: "production",
          migrate: options,
          onProgress: command.json ? undefined : (event) => io.stderr(formatProgress(event)),
        });
        if (options.dryRun) {
          print({ ok: true, plan: migration.plan }, () => formatPlan(migration.plan));
        } else {
          print({ ok: true, report }, () => formatInitReport(report));
        }
        return EXIT.ok;
      }
      case "repair": {
        const result = await repairChecksums(db, selected, command.package ? { package: command.package } : {});
        print(result, () => (result.repaired.length ? result.repaired.map((r) => `repaired ${r.package} ${r.id}: ${r.previous} → ${r.checksum}`).join("\n") : "no checksum differs: nothing to repair"));
        return EXIT.ok;
      }
      case "reset": {
        const result = await dropEverything(db, all);
        print({ ok: true, ...result }, () => `dropped ${result.tables.length} tables and the history from ${db.label}`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown command "${command.name}"`);
    }
  } finally {
    await db.close();
  }
}

async function openTarget(command: Command, io: CliIO, root: string): Promise<Database> {
  const url = command.databaseUrl ?? io.env.DATABASE_URL;
  if (url) return openDatabase({ url });
  // turbo runs independent packages' db:migrate at once: on PGlite (one process per directory)
  // they take turns, waiting as long as they would for the migration lock.
  return openDatabase({
    dataDir: command.dataDir ? resolve(io.cwd, command.dataDir) : defaultDataDir(root),
    waitForDataDirMs: command.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
  });
}

/** A package and, transitively, what it depends on (so it can be migrated on its own). */
export function withDependencies(all: readonly DatabaseManifest[], name: string): DatabaseManifest[] {
  if (!all.some((m) => m.packageName === name)) throw new UsageError(`no registered package "${name}"; registered: ${all.map((m) => m.packageName).join(", ")}`);
  const keep = new Set([name, ...dependenciesOf(buildPackageGraph(all), name)]);
  return all.filter((m) => keep.has(m.packageName));
}

/** Status per package: versions, migrations, and the tools it provides. */
export async function databaseStatus(db: Database, manifests: readonly DatabaseManifest[]) {
  const packages = await migrationStatus(db, manifests);
  let tools: Awaited<ReturnType<typeof listTools>> = [];
  try {
    tools = await listTools(db.orm);
  } catch {
    // Before the first migration there is no tools table: no tools to list.
  }
  return {
    database: db.label,
    packages: packages.map((p) => ({
      ...p,
      tools: tools.filter((t) => t.packageName === p.package).map((t) => ({ id: t.id, name: t.name, active: t.isActive })),
    })),
  };
}

function formatStatus(status: Awaited<ReturnType<typeof databaseStatus>>): string {
  const rows = status.packages.map((p) => {
    const last = p.lastAppliedAt ? new Date(p.lastAppliedAt).toISOString() : "never";
    const tools = p.tools.length ? `  tools: ${p.tools.map((t) => `${t.id}${t.active ? "" : " (inactive)"}`).join(", ")}` : "";
    return `${p.package}\n  code ${p.codeVersion} · database ${p.databaseVersion ?? "none"} · ${p.applied.length} applied · ${p.pending.length} pending${p.pending.length ? ` (${p.pending.join(", ")})` : ""} · last applied ${last}${tools ? `\n${tools}` : ""}`;
  });
  return [`Database: ${status.database}`, ...rows].join("\n");
}

function formatPlan(plan: { readonly steps: readonly { package: string; id: string; direction: string; reason: string }[] }): string {
  if (plan.steps.length === 0) return "Nothing to do: the database is up to date.";
  return [`${plan.steps.length} step${plan.steps.length === 1 ? "" : "s"}:`, ...plan.steps.map((s, i) => `  ${String(i + 1).padStart(3)}. ${s.direction.padEnd(4)} ${s.package} ${s.id} — ${s.reason}`)].join("\n");
}

function formatProgress(event: Parameters<NonNullable<MigrateOptions["onProgress"]>>[0]): string {
  return `[${event.index + 1}/${event.total}] ${event.status} ${event.direction} ${event.package} ${event.id}${event.ms !== undefined ? ` (${event.ms.toFixed(1)} ms)` : ""}`;
}

/** What `check` cannot prove for a package: each migration without a down is never rolled back. */
function untestedByCheck(manifest: DatabaseManifest): string[] {
  return loadPackageMigrations(manifest)
    .migrations.filter((m) => !m.down)
    .map((m) => `${m.id}: no down migration, so up → down → up was not tested`);
}

function formatCheck(result: Awaited<ReturnType<typeof checkPackage>> & { readonly untested: readonly string[] }): string {
  const lines = [`${result.ok ? "ok  " : "FAIL"} ${result.package}`];
  for (const line of result.untested) lines.push(`  not tested: ${line}`);
  for (const step of result.upDownUp) lines.push(`  up → down → up ${step.id}: ${step.ok ? "same schema" : `differs\n${(step.diff ?? []).map((d) => `      ${d}`).join("\n")}`}`);
  if ("skipped" in result.drift) lines.push(`  schema drift: skipped (${result.drift.skipped})`);
  else lines.push(result.drift.ok ? "  schema drift: none" : `  schema drift: the Drizzle schema differs from the migrations; \`bun run db:generate\` would write:\n${result.drift.sql.map((s) => `      ${s}`).join("\n")}`);
  return lines.join("\n");
}
