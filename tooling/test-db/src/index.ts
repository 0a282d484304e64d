import { PGlite } from "@electric-sql/pglite";
import { afterAll, afterEach, describe } from "bun:test";
import { openDatabase, type Database, type DatabaseKind, type OpenDatabaseOptions } from "@ydtb/db-client";
import postgres from "postgres";

/** A database made for one test; `dispose()` closes it and, on the server, drops it. */
export interface TestDatabase extends Database {
  /** The server URL of this database (server only): give it to child processes. */
  readonly url?: string;
  dispose(): Promise<void>;
}

/** What {@link describeDatabases} hands each suite. */
export interface DatabaseTarget {
  readonly kind: DatabaseKind;
  /** A new, empty database, disposed after the current test. */
  fresh(options?: TestDatabaseOptions): Promise<TestDatabase>;
}

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /** Extensions a package's manifest needs: PGlite loads them from its bundled modules (the server has them installed). */
  readonly extensions?: readonly string[];
}

/** The PostgreSQL server tests use: `TEST_DATABASE_URL`, else `DATABASE_URL`, else none. */
export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** The kinds tests run on: PGlite always, the server when a URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return serverUrl() ? ["pglite", "postgres"] : ["pglite"];
}

// A new PGlite costs 1–2 s; one restored from a dump of an empty one about 0.4 s.
let pgliteSnapshot: Promise<Blob> | undefined;
function emptyPgliteSnapshot(): Promise<Blob> {
  pgliteSnapshot ??= (async () => {
    const pg = await PGlite.create();
    try {
      return await pg.dumpDataDir("none");
    } finally {
      await pg.close();
    }
  })();
  return pgliteSnapshot;
}

let counter = 0;
let admin: postgres.Sql | undefined;

/**
 * Creates an empty database of the given kind.
 *
 * @example
 * const db = await createTestDatabase("postgres");
 * try { ... } finally { await db.dispose(); }
 */
export async function createTestDatabase(kind: DatabaseKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (kind === "pglite" && options.extensions?.length) {
    // Extensions are loaded when PGlite starts, so the empty snapshot cannot be reused: db-client loads them by name.
    const opening: OpenDatabaseOptions & { extensions?: readonly string[] } = { extensions: options.extensions };
    const db = await openDatabase(opening);
    return Object.assign(db, { dispose: () => db.close() });
  }
  if (kind === "pglite") {
    const pg = await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() });
    const db = await openDatabase({ pglite: pg });
    return Object.assign(db, {
      async dispose() {
        await db.close();
        await pg.close();
      },
    });
  }
  const base = serverUrl();
  if (!base) throw new Error("No PostgreSQL server: set TEST_DATABASE_URL or DATABASE_URL.");
  admin ??= postgres(base, { max: 2, onnotice: () => {} });
  const name = `ydtb_test_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  return Object.assign(db, {
    url: url.toString(),
    async dispose() {
      await db.close();
      await admin?.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  });
}

/** Closes the shared admin connection; registered automatically by {@link describeDatabases}. */
export async function closeTestServer(): Promise<void> {
  const a = admin;
  admin = undefined;
  await a?.end({ timeout: 2 });
}

/**
 * Declares `body` once per database kind (`[pglite]`, `[postgres]`), each test getting
 * fresh databases that are disposed after it.
 *
 * @example
 * describeDatabases("core schema", (target) => {
 *   test("applies", async () => {
 *     const db = await target.fresh();
 *     await db.exec("CREATE TABLE t (id int)");
 *   });
 * });
 */
export function describeDatabases(title: string, body: (target: DatabaseTarget) => void): void {
  for (const kind of databaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      const open: TestDatabase[] = [];
      afterEach(async () => {
        await Promise.all(open.splice(0).map((db) => db.dispose()));
      });
      afterAll(closeTestServer);
      body({
        kind,
        async fresh(options?: TestDatabaseOptions) {
          const db = await createTestDatabase(kind, options);
          open.push(db);
          return db;
        },
      });
    });
  }
}
