/**
 * Base class of this package's errors: `code` is stable, the message may change.
 *
 * @example
 * try { await migrate(db, manifests); } catch (e) { if (e instanceof MigrateError) console.error(e.code, e.message); }
 */
export class MigrateError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
