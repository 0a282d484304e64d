import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { discoverDatabases } from "@ydtb/db-registry";
import { DbAccessError } from "./errors.ts";
import { generatePolicyMigration, type GeneratePolicyResult } from "./generate-policy-migration.ts";
import { runDrizzleKitGenerate } from "./run-drizzle-kit.ts";

/** Where {@link runCli} reads and writes. */
export interface CliIo {
  readonly cwd: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = `Usage: ydtb-db-access generate [--drizzle-kit [drizzle-kit options]] [--package <name>] [--root <dir>] [--check] [--json]

Writes each package's row-level-security migration (NNNN_workspace_rls.sql + .down.sql) when its
workspace tables changed. A package's \`db:generate\` is \`ydtb-db-access generate --drizzle-kit\`.
  --drizzle-kit     run \`drizzle-kit generate\` first in the current folder, with every option
                    not listed here (e.g. \`bun run db:generate --name archived\`)
  --package <name>  only this package (default: the package in the current folder, else all)
  --root <dir>      the workspace root (default: the nearest folder whose package.json has workspaces)
  --check           write nothing; exit 1 when a package needs a policy migration
  --json            print the results as JSON`;

/**
 * The `ydtb-db-access` command line. Exit codes: 0 ok · 1 a policy migration is needed
 * (`--check`) or a package failed · 2 usage error.
 *
 * @example
 * await runCli(["generate", "--package", "@ydtb/basic"], { cwd: process.cwd(), out: console.log, err: console.error });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(argv);
  if ("error" in parsed) {
    io.err(`${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const { values, forwarded } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.drizzleKit) {
    const outcome = await runDrizzleKitGenerate(io.cwd, forwarded);
    if (!outcome.ok) {
      io.err(outcome.message);
      return 1;
    }
  }
  const root = values.root ? resolve(io.cwd, values.root) : findRoot(io.cwd);
  if (!root) {
    io.err(`No workspace root above ${io.cwd} (a package.json with "workspaces"); pass --root <dir>.`);
    return 2;
  }
  const discovered = await discoverDatabases(root);
  for (const f of discovered.failures) io.err(`${f.packageName}: ${f.file}: ${f.message}`);
  if (discovered.failures.length) return 1;
  const here = discovered.manifests.find((m) => m.packageDir && resolve(m.packageDir) === resolve(io.cwd));
  const wanted = values.package ?? here?.packageName;
  const manifests = wanted ? discovered.manifests.filter((m) => m.packageName === wanted) : discovered.manifests;
  if (wanted && manifests.length === 0) {
    io.err(`No package "${wanted}" with a database manifest under ${root}; known: ${discovered.manifests.map((m) => m.packageName).join(", ")}.`);
    return 2;
  }
  const results: GeneratePolicyResult[] = [];
  let failed = false;
  for (const manifest of manifests) {
    try {
      results.push(generatePolicyMigration(manifest, { dryRun: values.check ?? false }));
    } catch (error) {
      if (!(error instanceof DbAccessError)) throw error;
      failed = true;
      io.err(`${manifest.packageName}: ${error.message} [${error.code}]`);
    }
  }
  if (values.json) io.out(JSON.stringify(results, null, 2));
  else for (const r of results) io.out(describe(r, root));
  const needed = results.some((r) => r.status === "needed" || r.status === "skipped");
  return failed || (values.check && needed) ? 1 : 0;
}

function describe(r: GeneratePolicyResult, root: string): string {
  switch (r.status) {
    case "up-to-date":
      return `${r.package}: row-level security up to date (${r.state.workspaceTables.length} workspace tables${r.migration ? `, ${r.migration}` : ""})`;
    case "skipped":
      return `${r.package}: ${r.reason}`;
    case "needed":
      return `${r.package}: needs ${r.migration} (workspace tables: ${r.state.workspaceTables.join(", ") || "none"}); run \`bun run db:generate\` in the package`;
    case "written":
      return `${r.package}: wrote ${r.files.map((f) => relative(root, f)).join(", ")}`;
  }
}

function findRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { workspaces?: unknown }).workspaces) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

interface Parsed {
  readonly values: { package?: string; root?: string; check?: boolean; json?: boolean; help?: boolean; drizzleKit?: boolean };
  readonly forwarded: readonly string[];
}

/** Our options are read; with `--drizzle-kit` every other argument is drizzle-kit's. */
function parseCommand(argv: readonly string[]): Parsed | { readonly error: string } {
  const values: Parsed["values"] = {};
  const forwarded: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--package" || flag === "--root") {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("-")) return { error: `${flag} needs a value.` };
      values[flag === "--package" ? "package" : "root"] = value;
    } else if (flag === "--check") values.check = true;
    else if (flag === "--json") values.json = true;
    else if (flag === "--help" || flag === "-h") values.help = true;
    else if (flag === "--drizzle-kit") values.drizzleKit = true;
    else if (!arg.startsWith("-") && positionals.length === 0) positionals.push(arg);
    else forwarded.push(arg);
  }
  if (values.help) return { values, forwarded };
  if (positionals[0] !== "generate") return { error: positionals.length ? `Unknown command "${positionals[0]}".` : "No command." };
  if (forwarded.length && !values.drizzleKit) return { error: `Unknown option "${forwarded[0]}" (drizzle-kit's options need --drizzle-kit).` };
  if (values.drizzleKit && values.check) return { error: "--check writes nothing: it cannot run drizzle-kit; drop --drizzle-kit." };
  return { values, forwarded };
}
