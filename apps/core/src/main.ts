import { openDatabase, type Database } from "@ydtb/db-client";
import { databaseStatus, formatInitReport, InitFailedError, initDatabase, neededExtensions, watchDatabases } from "@ydtb/db-init";
import { discoverDatabases, type DiscoveryResult, type Registry } from "@ydtb/db-registry";
import { readEnv, type Env } from "./env.ts";
import { secretRedactor } from "./redact-secret.ts";
import { startServer } from "./server.ts";

// Everything printed goes through the redactor: no password of DATABASE_URL reaches the log.
const redact = secretRedactor(process.env.DATABASE_URL);
const log = (text: string) => console.log(redact(text));
const logError = (text: string) => console.error(redact(text));

/** An error in one line with its code, or with its stack when it has no code (unexpected). */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && error instanceof Error) return `[${code}] ${error.message}`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Opens the database; on PGlite also returns the discovery it needed, so the boot does not discover again. */
async function open(env: Env): Promise<{ db: Database; discovered?: DiscoveryResult }> {
  try {
    if (env.databaseUrl) return { db: await openDatabase({ url: env.databaseUrl, ...(env.connectTimeoutMs ? { connectTimeoutMs: env.connectTimeoutMs } : {}) }) };
    // PGlite loads the manifests' extensions only when it starts: discover them first.
    const discovered = await discoverDatabases(env.rootDir);
    return { db: await openDatabase({ dataDir: env.dataDir, extensions: neededExtensions(discovered.manifests) }), discovered };
  } catch (error) {
    logError(`ydtb core: cannot open the database, NOT ready: ${describe(error)}`);
    process.exit(1);
  }
}

/**
 * Boots the app: the database is discovered, validated and migrated under the lock before the
 * first request; a failure prints the report and exits non-zero. In development (`--dev`) a
 * watcher then reloads changed manifests, schemas and migrations, and new packages.
 */
async function main(): Promise<void> {
  let env: Env;
  try {
    env = readEnv(process.env, { nodeEnv: process.argv.includes("--dev") ? "development" : "production" });
  } catch (error) {
    logError(`ydtb core: bad environment, NOT ready: ${describe(error)}`);
    process.exit(1);
  }
  const { db, discovered } = await open(env);
  let ready = false;
  let booted: Registry;
  try {
    const { report, registry } = await initDatabase({
      db,
      rootDir: env.rootDir,
      ...(discovered ? { discovered } : {}),
      mode: env.nodeEnv === "production" ? "production" : "development",
      migrate: { strictVersions: env.strictVersions },
    });
    booted = registry;
    log(formatInitReport(report));
    ready = true;
  } catch (error) {
    if (error instanceof InitFailedError) logError(formatInitReport(error.report));
    else logError(`ydtb core: boot failed, NOT ready: ${describe(error)}`);
    await db.close();
    process.exit(1);
  }
  const registry = booted;
  // Read at call time: in development the watcher replaces manifests in the registry.
  const server = startServer(
    env.port,
    { ready: () => ready, status: () => databaseStatus(db, registry.list()) },
    { ...(env.statusToken ? { token: env.statusToken } : {}), hideDatabase: env.nodeEnv === "production" },
  );
  log(`ydtb core: listening on http://localhost:${server.port} (GET /health, GET /api/db/status)`);
  const watcher = env.nodeEnv === "development" ? watchDatabases({ db, rootDir: env.rootDir, registry }) : undefined;

  const stop = async () => {
    ready = false;
    await watcher?.close();
    await server.stop();
    await db.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

await main();
