import { is, sql } from "drizzle-orm";
import { PgTransaction, type PgTransactionConfig } from "drizzle-orm/pg-core";
// The subpath, not the package root: drizzle-kit (Node) imports schemas that reach this module, and the root pulls in Bun-only code.
import { postgresError } from "@ydtb/db-client/postgres-error";
import { MAX_WORKSPACE_ID_LENGTH, RUNTIME_ROLE, WORKSPACE_SETTING } from "./constants.ts";
import { DbAccessError } from "./errors.ts";
import { runWorkspaceTransaction, type AnyPgDatabase, type WorkspaceTransaction } from "./workspace-transaction.ts";

/** Options of {@link withWorkspace}. */
export interface WithWorkspaceOptions {
  /** Isolation level, access mode, deferrable: sent with the transaction's `BEGIN`. */
  readonly transaction?: PgTransactionConfig;
}

/**
 * Runs `fn` in one transaction scoped to a workspace: the runtime role ({@link RUNTIME_ROLE})
 * and the workspace id are set transaction-locally (`SET LOCAL`, never a session
 * `SET`, so a pooled connection carries nothing to its next user), and every workspace table's
 * policy then shows and accepts only that workspace's rows. `fn` gets a Drizzle transaction with
 * the caller's driver and schema; it commits when `fn` resolves and rolls back when it throws, and
 * `tx.transaction()` inside it opens a savepoint. On a server the opening costs one round trip,
 * as a plain transaction's `BEGIN` does: `BEGIN` and the settings travel in one message.
 *
 * Given a handle `withWorkspace` itself handed out (an API called from inside another), it runs
 * `fn` on it directly when the workspace is the same, and refuses another workspace.
 * Throws `DbAccessError`: `INVALID_WORKSPACE_ID`, `RUNTIME_ROLE_MISSING` (migrations not run),
 * `RUNTIME_ROLE_DENIED` (the connecting user may not switch to the role), `WORKSPACE_MISMATCH`,
 * `INVALID_TRANSACTION_OPTIONS`, `TRANSACTION_ROLLED_BACK` (a statement failed and `fn` swallowed its error: nothing was saved).
 * A failed `COMMIT` is thrown as the driver reported it.
 *
 * @example
 * const mine = await withWorkspace(db.orm, "ws_1", (tx) => tx.select().from(notes)); // ws_1's notes only
 */
export async function withWorkspace<TDb extends AnyPgDatabase, T>(db: TDb, workspaceId: string, fn: (tx: WorkspaceTransaction<TDb>) => Promise<T>, options: WithWorkspaceOptions = {}): Promise<T> {
  if (typeof workspaceId !== "string" || workspaceId.length === 0 || workspaceId.length > MAX_WORKSPACE_ID_LENGTH || workspaceId.includes("\0")) {
    throw new DbAccessError("INVALID_WORKSPACE_ID", `withWorkspace() needs a workspace id of 1 to ${MAX_WORKSPACE_ID_LENGTH} characters (ydtb_workspaces.id), without NUL (PostgreSQL text cannot hold it); got ${JSON.stringify(workspaceId)}.`);
  }
  if (is(db, PgTransaction)) return inOpenTransaction(db, workspaceId, fn as (tx: AnyPgDatabase) => Promise<T>);
  return runWorkspaceTransaction(db, { workspaceId, config: options.transaction, roleError }, fn);
}

async function inOpenTransaction<T>(tx: AnyPgDatabase, workspaceId: string, fn: (tx: AnyPgDatabase) => Promise<T>): Promise<T> {
  const rows = (await tx.execute(sql`SELECT current_setting(${WORKSPACE_SETTING}, true) AS workspace, current_user AS role`)) as unknown;
  // node-postgres and PGlite return { rows }; postgres.js returned the rows as an array.
  const row = (Array.isArray(rows) ? rows[0] : (rows as { rows: unknown[] }).rows[0]) as { workspace: string | null; role: string } | undefined;
  const current = row?.workspace || undefined;
  if (current === workspaceId && row?.role === RUNTIME_ROLE) return fn(tx);
  throw new DbAccessError(
    "WORKSPACE_MISMATCH",
    current
      ? `withWorkspace("${workspaceId}") was given a transaction scoped to workspace "${current}"; a transaction serves one workspace: open another withWorkspace() with the database handle.`
      : `withWorkspace("${workspaceId}") was given a transaction it did not open; pass the database handle (db.orm), not a transaction, so the workspace and the runtime role are set for the whole transaction.`,
  );
}

function roleError(error: unknown): unknown {
  const code = postgresError(error)?.code;
  if (code === "22023" || code === "42704") {
    return new DbAccessError("RUNTIME_ROLE_MISSING", `The runtime role "${RUNTIME_ROLE}" does not exist in this cluster: run the migrations (\`bun run db:migrate\`; every policy migration creates it), or have the operator run CREATE ROLE ${RUNTIME_ROLE} NOLOGIN.`, { cause: error });
  }
  if (code === "42501") {
    return new DbAccessError("RUNTIME_ROLE_DENIED", `The connecting user may not switch to the runtime role "${RUNTIME_ROLE}": connect as ${RUNTIME_ROLE}, or GRANT ${RUNTIME_ROLE} TO <the user in the app's URL>.`, { cause: error });
  }
  return error;
}
