export { closeTestServer, describeDatabases, describeServer, type DatabaseTarget } from "./describe-databases.ts";
export { emptyPgliteSnapshot, SNAPSHOT_CACHE_DIR } from "./pglite-snapshot.ts";
export { closeServerConnections, createServerDatabase, type ServerDatabaseOptions, type ServerTestDatabase } from "./server-databases.ts";
export { ALL_DATABASE_KINDS, databaseKinds, serverUrl } from "./server-url.ts";
export { GUARDED_DATABASE_PREFIX, sweepStaleDatabases, TEST_DATABASE_COMMENT, TEST_DATABASE_LOCK_CLASS, TEST_DATABASE_PREFIX, type SweepResult } from "./sweep-stale-databases.ts";
export { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from "./test-database.ts";
export { createPgliteDataDir, DEFAULT_DATA_DIR_PREFIX, seedPgliteDataDir } from "./pglite-data-dir.ts";
export { catalogFingerprint, closeIdlePglites, resetPglite, returnPglite, takePglite } from "./pglite-pool.ts";
