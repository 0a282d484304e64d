import { openDatabase, type OpenDatabaseOptions } from "@ydtb/db-client";
import { databaseStatus, formatInitReport, InitFailedError, initDatabase, watchDatabases, workspaceExtensions } from "@ydtb/db-init";
import type { Registry } from "@ydtb/db-registry";
import { readEnv } from "./env.ts";
import { startServer } from "./server.ts";

/**
 * Boots the app: the database is discovered, validated and migrated under the lock before the
 * first request; a failure prints the report and exits non-zero. In development (`--dev`) a
 * watcher then reloads changed manifests, schemas and migrations, and new packages.
 */
async function main(): Promise<void> {
  const env = readEnv(process.env, { nodeEnv: process.argv.includes("--dev") ? "development" : "production" });
  // PGlite loads the manifests' extensions only when it starts: discover them first.
  const extensions = await workspaceExtensions(env.rootDir);
  const options: OpenDatabaseOptions & { extensions?: readonly string[] } = env.databaseUrl ? { url: env.databaseUrl } : { dataDir: env.dataDir, extensions };
  const db = await openDatabase(options);
  let ready = false;
  let booted: Registry;
  try {
    const { report, registry } = await initDatabase({
      db,
      rootDir: env.rootDir,
      mode: env.nodeEnv === "production" ? "production" : "development",
      migrate: { strictVersions: env.strictVersions },
    });
    booted = registry;
    console.log(formatInitReport(report));
    ready = true;
  } catch (error) {
    if (error instanceof InitFailedError) console.error(formatInitReport(error.report));
    else console.error("ydtb core: boot failed:", error);
    await db.close();
    process.exit(1);
  }
  const registry = booted;
  // Read at call time: in development the watcher replaces manifests in the registry.
  const server = startServer(env.port, { ready: () => ready, status: () => databaseStatus(db, registry.list()) });
  console.log(`ydtb core: listening on http://localhost:${server.port} (GET /health, GET /api/db/status)`);
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
