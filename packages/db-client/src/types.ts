import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** Which engine a {@link Database} talks to. */
export type DatabaseKind = "pglite" | "postgres";

/** A Drizzle database bound to one session (the whole database, a connection or a transaction). */
export type Orm = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** A row as returned by {@link SqlSession.query}. */
export type Row = Record<string, unknown>;

/**
 * Something SQL can be sent to: a database, a dedicated connection, or an open transaction.
 *
 * @example
 * await session.exec('CREATE TABLE a (id int); CREATE TABLE b (id int)');
 * const rows = await session.query<{ n: number }>('SELECT $1::int AS n', [1]);
 */
export interface SqlSession {
  readonly kind: DatabaseKind;
  /** Runs SQL text that may hold several statements; takes no parameters. */
  exec(text: string): Promise<void>;
  /** Runs one statement with `$1…` parameters and returns its rows. */
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Drizzle over this same session, for typed queries (a migration's `up(db)` gets one). */
  readonly orm: Orm;
}

/** A session that can open a transaction: the database itself or a dedicated connection. */
export interface TransactionalSession extends SqlSession {
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws
   * (the error is rethrown unchanged).
   */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs `statements` (each exactly ONE statement, no parameters) in one transaction: on a
   * server as one message, `BEGIN; …; COMMIT` (one round trip); on PGlite one by one inside its
   * transaction. A PostgreSQL error rolls it back and is thrown as `BatchStatementError`, whose
   * `index` names the failing statement; any other failure (a lost connection) as it is.
   */
  transactionBatch(statements: readonly string[]): Promise<void>;
}

/** One dedicated connection, handed out by {@link Database.withConnection}. */
export type Connection = TransactionalSession;

/**
 * A database: PGlite (embedded) or a PostgreSQL server through postgres.js.
 *
 * Create one with `openDatabase()`; close it with `close()` (an open PGlite keeps the process alive).
 */
export interface Database extends TransactionalSession {
  /** Where the data lives, safe to print: `pglite:<dir>`, `pglite:memory` or the URL without password. */
  readonly label: string;
  /**
   * Runs `fn` on one dedicated connection, for session state such as advisory locks.
   * On PGlite (one connection) calls are serialised by an in-process mutex instead.
   */
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
  /** Closes every connection. Safe to call twice. */
  close(): Promise<void>;
}
