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

/** A PGlite directory is already open in another live process. */
export class DatabaseInUseError extends DbClientError {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      "DATABASE_IN_USE",
      pid === process.pid
        ? `The PGlite directory "${dataDir}" is already open in this process; PGlite allows one instance per directory. Reuse the open Database, or close it first.`
        : `The PGlite directory "${dataDir}" is open in process ${pid}; PGlite allows one process per directory. ` +
          `Stop that process (kill ${pid}), or point DATABASE_URL at a PostgreSQL server to share one database.`,
    );
  }
}
