import { afterAll, afterEach, describe } from "bun:test";
import type { DatabaseKind } from "@ydtb/db-client";
import { closeTestServer } from "./server-pool.ts";
import { ALL_DATABASE_KINDS, serverUrl } from "./server-url.ts";
import { openTestDatabase, pooledDatabase, type TestDatabase, type TestDatabaseOptions } from "./test-database.ts";

/** What {@link describeDatabases} hands each suite. */
export interface DatabaseTarget {
  readonly kind: DatabaseKind;
  /**
   * An empty database, disposed after the current test. On the server it may be one an earlier
   * test of the suite used, emptied (see `server-pool.ts`); on PGlite, one an earlier test of
   * the process used (see `pglite-pool.ts`).
   */
  fresh(options?: TestDatabaseOptions): Promise<TestDatabase>;
}

/** Drops this process's idle test databases and closes its server connections; registered automatically by {@link describeDatabases}. */
export { closeTestServer };

/**
 * Declares `body` once per database kind (`[pglite]`, `[postgres]`), each test getting fresh
 * databases that are disposed after it. Without `TEST_DATABASE_URL`/`DATABASE_URL` the
 * `[postgres]` suite is still declared and its tests are reported as skipped, not dropped.
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
  for (const kind of ALL_DATABASE_KINDS) {
    const skipped = kind === "postgres" && !serverUrl();
    describe.skipIf(skipped)(`${title} [${kind}]`, () => {
      const open: TestDatabase[] = [];
      // Hooks in a skipped suite would be reported as extra "(unnamed)" skipped tests.
      if (!skipped) {
        afterEach(async () => {
          await Promise.all(open.splice(0).map((db) => db.dispose()));
        });
        afterAll(closeTestServer);
      }
      body({
        kind,
        async fresh(options?: TestDatabaseOptions) {
          const db = await openTestDatabase(kind, options ?? {}, pooledDatabase);
          open.push(db);
          return db;
        },
      });
    });
  }
}

/**
 * A suite that needs the PostgreSQL server (several processes, a server-only feature): run when
 * `TEST_DATABASE_URL`/`DATABASE_URL` is set, otherwise its tests are reported as skipped.
 * Server connections are closed after it.
 *
 * @example
 * describeServer("concurrent migrators", () => {
 *   test("8 processes at once", async () => {
 *     const db = await createTestDatabase("postgres");
 *     try { ... } finally { await db.dispose(); }
 *   });
 * });
 */
export function describeServer(title: string, body: () => void): void {
  const skipped = !serverUrl();
  describe.skipIf(skipped)(`${title} [postgres]`, () => {
    if (!skipped) afterAll(closeTestServer);
    body();
  });
}
