/** Base class of this package's errors; `code` is stable, the message may change. */
export class DbClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A PGlite directory is already open, in another live process or in this one. */
export class DatabaseInUseError extends DbClientError {
  /**
   * @param pid the holder's process id as it wrote it in the claim file, when readable: for the
   *   message only (the claim itself is an OS lock, not a pid).
   */
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
  ) {
    super(
      "DATABASE_IN_USE",
      pid === process.pid
        ? `The PGlite directory "${dataDir}" is already open in this process; PGlite allows one instance per directory. Reuse the open Database, or close it first.`
        : `The PGlite directory "${dataDir}" is open in ${pid ? `process ${pid}` : "another process"}; PGlite allows one process per directory. ` +
          `Stop that process${pid ? ` (kill ${pid})` : ""}, or point DATABASE_URL at a PostgreSQL server to share one database.`,
    );
  }
}

/** The database URL cannot be parsed, or is not a PostgreSQL URL. The message shows it masked. */
export class InvalidDatabaseUrlError extends DbClientError {
  constructor(
    /** The URL with its password replaced by `***`. */
    readonly maskedUrl: string,
    reason: string,
  ) {
    super(
      "INVALID_DATABASE_URL",
      `The database URL "${maskedUrl}" ${reason}. Write it as postgres://user:password@host:5432/database ` +
        `(percent-encode special characters of the password, e.g. "@" as %40), or leave it unset to use the embedded PGlite database.`,
    );
  }
}

/** Why a connection could not be made, in a word. */
export type ConnectFailure = "refused" | "unreachable" | "timeout" | "not-postgres" | "host-not-found" | "rejected" | "closed";

/** No session could be opened to the server at `host:port`. */
export class ConnectFailedError extends DbClientError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly reason: ConnectFailure,
    detail: string,
    options?: ErrorOptions,
  ) {
    super("CONNECT_FAILED", `Could not connect to PostgreSQL at ${host}:${port}: ${detail}. ${CONNECT_FIXES[reason]}`, options);
  }
}

const CONNECT_FIXES: Record<ConnectFailure, string> = {
  refused: "Start the server, or fix the host and port in DATABASE_URL.",
  unreachable: "Check the host in DATABASE_URL and the network between here and there.",
  timeout: "Check that the host and port in DATABASE_URL are a PostgreSQL server reachable from here, or allow more time with --connect-timeout.",
  "not-postgres": "Something else listens there: fix the port in DATABASE_URL (PostgreSQL usually listens on 5432).",
  "host-not-found": "Fix the host name in DATABASE_URL.",
  rejected: "The server refused the session: check the user, password and database name in DATABASE_URL.",
  closed: "The server closed the connection before the session started: check its logs and its connection limits.",
};

/** The connection died under a query (backend terminated, server restarted, socket closed). */
export class ConnectionLostError extends DbClientError {
  constructor(
    readonly label: string,
    options?: ErrorOptions,
  ) {
    const why = options?.cause instanceof Error ? options.cause.message : String(options?.cause ?? "the socket closed");
    super(
      "CONNECTION_LOST",
      `The connection to ${label} was lost during a query (${why}). The statement did not complete; a transaction it was part of was rolled back by the server. Run the command again once the server is back.`,
      options,
    );
  }
}

/** An extension was asked of PGlite that this PGlite does not ship. */
export class UnknownExtensionError extends DbClientError {
  constructor(
    readonly extension: string,
    options?: ErrorOptions,
  ) {
    super(
      "UNKNOWN_EXTENSION",
      `PGlite has no extension "${extension}" (looked for @electric-sql/pglite/contrib/${extension.replaceAll("-", "_")}). ` +
        `Use one of the contrib modules it ships (e.g. pg_trgm, citext, uuid-ossp), or run against a PostgreSQL server that has it (DATABASE_URL).`,
      options,
    );
  }
}

/**
 * A statement of `transactionBatch` failed: the transaction was rolled back. `index` is the
 * failing statement's 0-based index in the batch (`statementCount` when COMMIT itself failed,
 * e.g. a deferred constraint; undefined when the server refused the whole message before
 * running any of it, e.g. a syntax error its own parser found); `cause` is PostgreSQL's error.
 */
export class BatchStatementError extends DbClientError {
  constructor(
    readonly index: number | undefined,
    readonly statementCount: number,
    options: ErrorOptions & { readonly cause: unknown },
  ) {
    const what = index === undefined ? "The batch" : index >= statementCount ? "COMMIT of the batch" : `Statement ${index + 1} of ${statementCount}`;
    super("BATCH_STATEMENT_FAILED", `${what} failed, and its transaction was rolled back: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}
