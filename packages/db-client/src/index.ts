export type { Connection, Database, DatabaseKind, Orm, Row, SqlSession, TransactionalSession } from "./types.ts";
export {
  BatchStatementError,
  ConnectFailedError,
  ConnectionLostError,
  DatabaseInUseError,
  DbClientError,
  InvalidDatabaseUrlError,
  UnknownExtensionError,
  type ConnectFailure,
} from "./errors.ts";
export { Mutex } from "./mutex.ts";
export { DEFAULT_POSTGRES_PORT, maskDatabaseUrl, maskDatabaseUrl as redact, parseDatabaseUrl, type DatabaseEndpoint } from "./database-url.ts";
export { claimDataDir, DATA_DIR_POLL_INTERVAL_MS, PGLITE_LOCK_FILE } from "./claim-data-dir.ts";
export { probeEndpoint } from "./probe-endpoint.ts";
export { postgresError } from "./postgres-error.ts";
export { CLOSE_TIMEOUT_MS } from "./open-postgres.ts";
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_CONNECTION_CHECK_INTERVAL_MS,
  DEFAULT_POOL_SIZE,
  openDatabase,
  type OpenDatabaseOptions,
} from "./open-database.ts";
export { loadExtensions as loadPgliteExtensions } from "./open-pglite.ts";
