export type { Connection, Database, DatabaseKind, Orm, Row, SqlSession, TransactionalSession } from "./types.ts";
export { DatabaseInUseError, DbClientError } from "./errors.ts";
export { Mutex } from "./mutex.ts";
export { DEFAULT_POOL_SIZE, openDatabase, PGLITE_LOCK_FILE, redact, type OpenDatabaseOptions } from "./open-database.ts";
