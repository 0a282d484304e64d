import type { PGlite } from "@electric-sql/pglite";
import { maskDatabaseUrl, parseDatabaseUrl } from "./database-url.ts";
import { openPglite } from "./open-pglite.ts";
import { openPostgres } from "./open-postgres.ts";
import type { Database } from "./types.ts";

/** Options of {@link openDatabase}: exactly one of `url`, `dataDir`, `pglite`, or none (in-memory PGlite). */
export interface OpenDatabaseOptions {
  /** A PostgreSQL URL (`postgres://user@host:5432/db`): connects with node-postgres. */
  readonly url?: string;
  /** A directory for an embedded PGlite database; created when missing. */
  readonly dataDir?: string;
  /** An already started PGlite instance; `close()` then leaves it open. */
  readonly pglite?: PGlite;
  /** Server connection pool size. Default {@link DEFAULT_POOL_SIZE}. */
  readonly max?: number;
  /**
   * How long connecting to the server may take, in ms, before `ConnectFailedError`
   * (`CONNECT_FAILED`): once to check the endpoint speaks PostgreSQL, once for the session.
   * Default {@link DEFAULT_CONNECT_TIMEOUT_MS}.
   */
  readonly connectTimeoutMs?: number;
  /**
   * `client_connection_check_interval` (ms) set on the server sessions of `withConnection()` (the
   * migration lock's): the server notices a vanished client within it, even mid-statement.
   * 0 turns it off. Default {@link DEFAULT_CONNECTION_CHECK_INTERVAL_MS}.
   */
  readonly connectionCheckIntervalMs?: number;
  /**
   * PostgreSQL extensions the database needs. PGlite loads them from its contrib modules
   * (`UnknownExtensionError`, `UNKNOWN_EXTENSION`, for one it lacks); on a server this is ignored:
   * the migrations' `CREATE EXTENSION` installs them.
   */
  readonly extensions?: readonly string[];
  /**
   * How long to wait for a PGlite directory that another live process has open, in ms.
   * Default 0: fail at once with `DatabaseInUseError`.
   */
  readonly waitForDataDirMs?: number;
  /** Where server NOTICEs go. Default: dropped (every `IF NOT EXISTS` raises one). */
  readonly onNotice?: (message: string) => void;
}

/** Default server connection pool size. */
export const DEFAULT_POOL_SIZE = 5;

/** Default bound on connecting to a server, in ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Default `client_connection_check_interval` of dedicated server sessions, in ms. */
export const DEFAULT_CONNECTION_CHECK_INTERVAL_MS = 2_000;

/**
 * Opens a database: PostgreSQL when `url` is given, otherwise PGlite (in a directory or in memory).
 * Only the driver in use is loaded.
 *
 * Errors (all `DbClientError` with a `code`): `INVALID_DATABASE_URL` (unparseable, or not
 * postgres/postgresql; shown masked), `CONNECT_FAILED` (names host:port and why: refused,
 * unreachable, timed out, not PostgreSQL, session refused), `DATABASE_IN_USE` (PGlite directory
 * open elsewhere), `UNKNOWN_EXTENSION`. Queries on a connection that died fail with
 * `CONNECTION_LOST` instead of hanging.
 *
 * @example
 * const db = await openDatabase({ url: process.env.DATABASE_URL, connectTimeoutMs: 5_000 });
 * const db2 = await openDatabase({ dataDir: "apps/core/.data", extensions: ["pg_trgm"] });
 * await db.close();
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.url) {
    const endpoint = parseDatabaseUrl(options.url);
    return openPostgres({
      url: options.url,
      endpoint,
      label: maskDatabaseUrl(options.url),
      max: options.max ?? DEFAULT_POOL_SIZE,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      connectionCheckIntervalMs: options.connectionCheckIntervalMs ?? DEFAULT_CONNECTION_CHECK_INTERVAL_MS,
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    });
  }
  return openPglite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.pglite ? { pglite: options.pglite } : {}),
    waitForDataDirMs: options.waitForDataDirMs ?? 0,
    extensions: options.extensions ?? [],
  });
}
