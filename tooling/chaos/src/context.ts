import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Database } from "@ydtb/db-client";
import { copyWorkspace, removeWorkspace } from "../../../packages/db-init/test/helpers.ts";
import { snapshot, type Snapshot } from "./checks.ts";
import { PGLITE_KNOB_DDL, SLOW_SLEEP_SETTING, STEP_SLEEP_SETTING, writeChaosPackage, type ChaosPackage } from "./generate-package.ts";
import { startCli } from "./processes.ts";

/** A server database made for one trial. */
export interface TrialDatabase {
  readonly name: string;
  readonly url: string;
  /** Opens it (close what you open). */
  open(): Promise<Database>;
  /** Sets the generated migrations' sleeps, in seconds, for sessions opened from now on (0 resets). */
  setSleeps(stepSeconds: number, slowSeconds: number): Promise<void>;
  /** Terminates the backends of this database only (never another's), except the admin's own. */
  backends(filter?: string): Promise<number[]>;
  terminate(pid: number): Promise<void>;
  drop(): Promise<void>;
}

/** What every scenario shares: a workspace copy with the generated package, databases, references. */
export interface ChaosContext {
  readonly root: string;
  readonly pkg: ChaosPackage;
  readonly serverUrl: string | undefined;
  createDatabase(): Promise<TrialDatabase>;
  /** A single migrator's result on the server (with sleeps), and how long that run took. */
  serverReference(): Promise<{ snapshot: Snapshot; ms: number }>;
  /** A fresh PGlite directory whose generated migrations sleep {@link STEP_SLEEP_S} each (removed by dispose). */
  pgliteDir(): Promise<string>;
  pgliteReference(): Promise<{ snapshot: Snapshot; ms: number }>;
  dispose(): Promise<void>;
}

/** Sleep per generated migration in server trials, in seconds: spreads the set over about a second. */
export const STEP_SLEEP_S = 0.03;

/**
 * Sets up a chaos run: copies the workspace, generates a package of `migrations` migrations and
 * opens an admin connection to `serverUrl` (databases are created as `ydtb_chaos_<pid>_<n>`).
 *
 * @example
 * const ctx = await createContext({ serverUrl: process.env.DATABASE_URL, migrations: 24 });
 * try { ... } finally { await ctx.dispose(); }
 */
export async function createContext(options: { readonly serverUrl: string | undefined; readonly migrations: number }): Promise<ChaosContext> {
  const root = copyWorkspace();
  const pkg = writeChaosPackage(root, options.migrations);
  const admin = options.serverUrl ? await openDatabase({ url: options.serverUrl, max: 2 }) : undefined;
  const created = new Set<string>();
  const dirs: string[] = [];
  let counter = 0;
  let serverRef: Promise<{ snapshot: Snapshot; ms: number }> | undefined;
  let pgliteRef: Promise<{ snapshot: Snapshot; ms: number }> | undefined;

  const createDatabase = async (): Promise<TrialDatabase> => {
    if (!admin || !options.serverUrl) throw new Error("no PostgreSQL server: set DATABASE_URL");
    const name = `ydtb_chaos_${process.pid}_${++counter}`;
    await admin.exec(`CREATE DATABASE "${name}"`);
    created.add(name);
    const u = new URL(options.serverUrl);
    u.pathname = `/${name}`;
    const url = u.toString();
    return {
      name,
      url,
      open: () => openDatabase({ url, max: 2 }),
      async setSleeps(step, slow) {
        for (const [setting, value] of [[STEP_SLEEP_SETTING, step], [SLOW_SLEEP_SETTING, slow]] as const) {
          await admin.exec(value > 0 ? `ALTER DATABASE "${name}" SET ${setting} = '${value}'` : `ALTER DATABASE "${name}" RESET ${setting}`);
        }
      },
      async backends(filter) {
        const rows = await admin.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND ($2::text IS NULL OR (state = 'active' AND query LIKE $2))",
          [name, filter ?? null],
        );
        return rows.map((r) => r.pid);
      },
      async terminate(pid) {
        // Guarded by datname: a pid of another database is never touched.
        await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND datname = $2", [pid, name]);
      },
      async drop() {
        await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        created.delete(name);
      },
    };
  };

  const reference = async (args: readonly string[], env: Record<string, string>, openDb: () => Promise<Database>) => {
    const run = await startCli(root, ["migrate", ...args], env).finished();
    if (run.code !== 0) throw new Error(`the single reference migrator failed (exit ${run.code}):\n${run.output}`);
    const db = await openDb();
    try {
      return { snapshot: await snapshot(db), ms: run.ms };
    } finally {
      await db.close();
    }
  };

  const pgliteDir = async () => {
    const dir = mkdtempSync(join(tmpdir(), "ydtb-chaos-"));
    dirs.push(dir);
    const db = await openDatabase({ dataDir: dir });
    try {
      await db.exec(`${PGLITE_KNOB_DDL}; INSERT INTO ydtb_chaos.knob VALUES (${STEP_SLEEP_S}, 0)`);
    } finally {
      await db.close();
    }
    return dir;
  };

  return {
    root,
    pkg,
    serverUrl: options.serverUrl,
    createDatabase,
    serverReference: () =>
      (serverRef ??= (async () => {
        const db = await createDatabase();
        await db.setSleeps(STEP_SLEEP_S, 0);
        return reference([], { DATABASE_URL: db.url }, db.open);
      })()),
    pgliteDir,
    pgliteReference: () =>
      (pgliteRef ??= (async () => {
        const dir = await pgliteDir();
        return reference(["--data-dir", dir], {}, () => openDatabase({ dataDir: dir }));
      })()),
    async dispose() {
      for (const name of created) await admin?.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin?.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      removeWorkspace(root);
    },
  };
}
