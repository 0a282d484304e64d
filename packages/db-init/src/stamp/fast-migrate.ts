import { resolve } from "node:path";
import { maskDatabaseUrl } from "@ydtb/db-client/database-url";
import { queryOnce } from "@ydtb/db-client/query-once";
import { inputsDigest, parseStamp, readStampSql, stampHolds, stampTablesOf } from "@ydtb/db-migrate/boot-stamp";
import { findDatabasePackages } from "@ydtb/db-registry/find-packages";
import { checkWorkspaceRoot, findWorkspaceRoot } from "../cli/workspace-root.ts";
import { formatInitReport } from "../init-report.ts";
import { readStrictVersions } from "../strict-versions.ts";
import { stampReport } from "./stamp-report.ts";

/** Where the no-op path writes (the CLI's stdout) and what it reads. */
export interface FastIO {
  readonly stdout: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** The options a no-op `ydtb-db migrate` may take; any other argument means the full path. */
function parseArgs(argv: readonly string[]): { root?: string; url?: string; json: boolean } | undefined {
  if (argv[0] !== "migrate") return undefined;
  const out: { root?: string; url?: string; json: boolean } = { json: false };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--json" && inline === undefined) out.json = true;
    else if (flag === "--root" || flag === "--database-url") {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("--")) return undefined;
      if (flag === "--root") out.root = value;
      else out.url = value;
    } else return undefined;
  }
  return out;
}

/**
 * A no-op `ydtb-db migrate` answered by the boot stamp, on a PostgreSQL server: lists the
 * packages (discovery's globs, no import), hashes their boot inputs, sends one query, and
 * prints the report the full no-op would. Returns the exit code, or undefined whenever anything
 * is different, missing, unreadable or unusual (options, PGlite, no stamp, an error): the
 * caller then runs the full path, which decides and reports everything itself.
 *
 * @example
 * const code = await fastMigrate(process.argv.slice(2), io);
 * process.exitCode = code ?? (await (await import("../run-cli.ts")).runCli(argv));
 */
export async function fastMigrate(argv: readonly string[], io: FastIO): Promise<number | undefined> {
  const started = performance.now();
  const args = parseArgs(argv);
  const url = args?.url ?? io.env.DATABASE_URL;
  if (!args || !url || !/^postgres(?:ql)?:\/\//.test(url)) return undefined;
  try {
    readStrictVersions(io.env); // a bad value is the full path's usage error (exit 2)
    const root = args.root ? checkWorkspaceRoot(resolve(io.cwd, args.root)) : findWorkspaceRoot(io.cwd);
    // Discovery's package.json and manifest bytes, hashed by the digest below without a second read.
    const read = new Map<string, Uint8Array>();
    const files = findDatabasePackages(root, read).map((p) => p.file).sort();
    const discovered = performance.now();
    // One connection attempt (node-postgres, no retry) with a short wait: a wrong or silent
    // endpoint costs one connection and 2 s here, then the full path's probe waits the whole
    // --connect-timeout and names what is there (refused, silent, not PostgreSQL, …).
    const [row] = await queryOnce(url, readStampSql(stampTablesOf()), FAST_WAITS);
    const stamp = parseStamp(row);
    if (!stamp || JSON.stringify(stamp.layout.map((p) => p.source).sort()) !== JSON.stringify(files)) return undefined;
    if (!stamp.answer.toolsSynced || !stampHolds(stamp, inputsDigest(stamp.layout, read))) return undefined;
    const ms = { discover: round(discovered - started), migrate: round(performance.now() - discovered), total: round(performance.now() - started) };
    const report = stampReport(stamp.answer, maskDatabaseUrl(url), ms);
    io.stdout(args.json ? JSON.stringify({ ok: true, command: "migrate", report }, null, 2) : formatInitReport(report, { command: "migrate" }));
    return 0;
  } catch (error) {
    // Whatever failed here (no stamp table yet, an unreachable server, a bad root, a file that
    // cannot be read), the full path meets it too and reports it with its code and fix; the
    // stamp is only a shortcut, so nothing is printed here.
    void error;
    return undefined;
  }
}

/** How long the no-op shortcut waits for a session, then for its one query, before leaving it to the full path. */
const FAST_WAITS = { connectTimeoutMs: 2_000, queryTimeoutMs: 5_000 } as const;

const round = (ms: number) => Math.round(ms * 10) / 10;
