/** The stable codes of {@link DbAccessError}. */
export type DbAccessErrorCode =
  | "INVALID_WORKSPACE_ID"
  | "RUNTIME_ROLE_MISSING"
  | "RUNTIME_ROLE_DENIED"
  | "WORKSPACE_MISMATCH"
  | "NO_MIGRATIONS_FOLDER"
  | "INVALID_JOURNAL"
  | "INVALID_POLICY_MARKER"
  | "INVALID_TRANSACTION_OPTIONS"
  | "TRANSACTION_ROLLED_BACK";

/**
 * The error every function of `@ydtb/db-access` throws: `code` is stable, the message names
 * the package, table, file or workspace at fault and the fix; `cause` keeps the original error.
 *
 * @example
 * try { await withWorkspace(db, "", fn); } catch (e) { if (e instanceof DbAccessError && e.code === "INVALID_WORKSPACE_ID") … }
 */
export class DbAccessError extends Error {
  constructor(
    readonly code: DbAccessErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "DbAccessError";
  }
}
