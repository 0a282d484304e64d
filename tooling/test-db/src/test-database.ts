import { PGlite } from "@electric-sql/pglite";
import { loadPgliteExtensions, openDatabase, type Database, type DatabaseKind } from "@ydtb/db-client";
import { emptyPgliteSnapshot } from "./pglite-snapshot.ts";
import { returnPglite, takePglite } from "./pglite-pool.ts";
import { createServerDatabase, type ServerTestDatabase } from "./server-databases.ts";
import { returnServerDatabase, takeServerDatabase } from "./server-pool.ts";

/** A database made for one test; `dispose()` closes it and, on the server, drops it. */
export interface TestDatabase extends Database {
  /** The server URL of this database (server only): give it to child processes. */
  readonly url?: string;
  dispose(): Promise<void>;
}

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /** Extensions a package's manifest needs: PGlite loads them from its bundled modules (the server has them installed). */
  readonly extensions?: readonly string[];
}

/** How a server database is had and given back: made and dropped, or pooled within a suite (`server-pool.ts`). */
interface ServerSource {
  take(): Promise<ServerTestDatabase>;
  give(db: ServerTestDatabase): Promise<void>;
}

const ownDatabase: ServerSource = { take: () => createServerDatabase(), give: (db) => db.drop() };

/** The pool of `server-pool.ts`: only for suites whose `afterAll` drops its idle databases (`describeDatabases`). */
export const pooledDatabase: ServerSource = { take: takeServerDatabase, give: returnServerDatabase };

/**
 * Creates an empty database of the given kind: a PGlite (one a finished test used and that was
 * emptied, else one started from the cached empty snapshot; see `pglite-pool.ts`), or a fresh
 * database on the test server.
 *
 * @example
 * const db = await createTestDatabase("postgres");
 * try { ... } finally { await db.dispose(); }
 */
export function createTestDatabase(kind: DatabaseKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  return openTestDatabase(kind, options, ownDatabase);
}

/** {@link createTestDatabase}, the server database coming from `source`. */
export async function openTestDatabase(kind: DatabaseKind, options: TestDatabaseOptions, source: ServerSource): Promise<TestDatabase> {
  if (kind === "pglite" && options.extensions?.length) {
    // Extensions are loaded when PGlite starts, so such an instance is never pooled: a later
    // test must not find an extension it did not ask for. It starts from the empty snapshot
    // all the same (extension modules live outside the data directory).
    const pg = await PGlite.create({ loadDataDir: await emptyPgliteSnapshot(), extensions: await loadPgliteExtensions(options.extensions) });
    const db = await openDatabase({ pglite: pg });
    return Object.assign(db, {
      async dispose() {
        await db.close();
        await pg.close();
      },
    });
  }
  if (kind === "pglite") {
    const pg = await takePglite();
    const db = await openDatabase({ pglite: pg });
    return Object.assign(db, {
      async dispose() {
        await db.close();
        await returnPglite(pg);
      },
    });
  }
  const server = await source.take();
  let db: Database;
  try {
    db = await openDatabase({ url: server.url });
  } catch (error) {
    await server.drop();
    throw error;
  }
  return Object.assign(db, {
    url: server.url,
    async dispose() {
      await db.close();
      await source.give(server);
    },
  });
}
