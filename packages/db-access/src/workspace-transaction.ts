import { entityKind, sql } from "drizzle-orm";
import type { PgDatabase, PgSession, PgTransaction, PgTransactionConfig } from "drizzle-orm/pg-core";
// The subpath, not the package root: drizzle-kit (Node) imports schemas that reach this module.
import { postgresError } from "@ydtb/db-client/postgres-error";
import { RUNTIME_ROLE, WORKSPACE_SETTING } from "./constants.ts";
import { DbAccessError } from "./errors.ts";

/** Any Drizzle PostgreSQL handle, whatever its driver and schema (`any`: the caller's types flow through untouched). */
export type AnyPgDatabase = PgDatabase<any, any, any>;

/**
 * The handle `withWorkspace` gives `fn` for a database handle of type `TDb`: a Drizzle
 * transaction with the caller's driver and schema (relational queries included), on which
 * `transaction()` opens a savepoint.
 */
export type WorkspaceTransaction<TDb extends AnyPgDatabase> = TDb extends PgDatabase<infer Q, infer F, infer S> ? PgTransaction<Q, F, S> : never;

/** What withWorkspace needs to open its transaction on any driver. */
export interface WorkspaceOpening {
  readonly workspaceId: string;
  readonly config: PgTransactionConfig | undefined;
  /** Turns the opening's failure into a coded error (role missing or denied). */
  readonly roleError: (error: unknown) => unknown;
}

/** The fields of drizzle's node-postgres and PGlite sessions read here (`client`, `schema`, `options` are public on both). */
interface DriverSession {
  readonly client: unknown;
  readonly dialect: unknown;
  readonly schema: unknown;
  readonly options: unknown;
}

type TransactionClass = new (dialect: unknown, session: unknown, schema: unknown) => AnyPgDatabase;
type SessionClass = new (client: unknown, dialect: unknown, schema: unknown, options: unknown) => unknown;

/** A node-postgres client, the parts used here (no import: a PGlite process never loads `pg`). */
interface PgClient {
  query(text: string): Promise<{ command: string }>;
  release?(destroy?: boolean | Error): void;
}

const kindOf = (session: unknown) => (session as { constructor: { [entityKind]?: string } }).constructor[entityKind];

/**
 * A string literal for simple-protocol SQL, as node-postgres' `escapeLiteral` writes it: quotes
 * doubled, and backslashes doubled under `E'…'` so the text is the same whatever
 * `standard_conforming_strings` says.
 *
 * @example
 * sqlLiteral("it's"); // "'it''s'"
 * sqlLiteral("a\\b"); // "E'a\\\\b'"
 */
export function sqlLiteral(value: string): string {
  const quoted = value.replaceAll("'", "''");
  return value.includes("\\") ? `E'${quoted.replaceAll("\\", "\\\\")}'` : `'${quoted}'`;
}

const ISOLATION_LEVELS = new Set(["read uncommitted", "read committed", "repeatable read", "serializable"]);
const ACCESS_MODES = new Set(["read only", "read write"]);

/**
 * `BEGIN [ISOLATION LEVEL …] [READ ONLY|READ WRITE] [[NOT] DEFERRABLE]`. The words are checked
 * against PostgreSQL's own: they are spliced into SQL text, and a caller in plain JavaScript
 * could pass anything.
 */
export function beginSql(config: PgTransactionConfig | undefined): string {
  const parts = ["BEGIN"];
  const invalid = (what: string, value: unknown) =>
    new DbAccessError("INVALID_TRANSACTION_OPTIONS", `withWorkspace()'s transaction.${what} is ${JSON.stringify(value)}; use one of PostgreSQL's: ${[...(what === "isolationLevel" ? ISOLATION_LEVELS : ACCESS_MODES)].join(", ")}.`);
  if (config?.isolationLevel !== undefined) {
    if (!ISOLATION_LEVELS.has(config.isolationLevel)) throw invalid("isolationLevel", config.isolationLevel);
    parts.push(`ISOLATION LEVEL ${config.isolationLevel.toUpperCase()}`);
  }
  if (config?.accessMode !== undefined) {
    if (!ACCESS_MODES.has(config.accessMode)) throw invalid("accessMode", config.accessMode);
    parts.push(config.accessMode.toUpperCase());
  }
  if (config?.deferrable !== undefined) parts.push(config.deferrable ? "DEFERRABLE" : "NOT DEFERRABLE");
  return parts.join(" ");
}

/**
 * The role and the workspace, transaction-locally, for the simple protocol (node-postgres'
 * opening message, PGlite's `exec`). `SET LOCAL` is `set_config(…, true)` without a query to
 * plan and a result set to send and parse: measured, about half the server's work for the
 * opening and 50 µs less per call on PGlite.
 *
 * @example
 * settingsSql("ws_1"); // "SET LOCAL ROLE ydtb_app; SET LOCAL ydtb.workspace_id = 'ws_1'"
 */
const settingsSql = (workspaceId: string) => `SET LOCAL ROLE ${RUNTIME_ROLE}; SET LOCAL ${WORKSPACE_SETTING} = ${sqlLiteral(workspaceId)}`;

/** The same settings as one statement, for a driver that may send it as a prepared statement (which takes one command only). */
const settingsSelectSql = (workspaceId: string) => `SELECT set_config('role', '${RUNTIME_ROLE}', true), set_config('${WORKSPACE_SETTING}', ${sqlLiteral(workspaceId)}, true)`;

type DriverClasses = { Session: SessionClass; Transaction: TransactionClass };
const loading = new Map<string, Promise<DriverClasses>>();
const loaded = new Map<string, DriverClasses>();

/**
 * drizzle's session and transaction classes of a driver, imported once, and only for the driver
 * in use; after the first call they come without an await.
 */
function driverClasses(kind: "NodePgSession" | "PgliteSession"): DriverClasses | Promise<DriverClasses> {
  const ready = loaded.get(kind);
  if (ready) return ready;
  let pending = loading.get(kind);
  if (!pending) {
    pending = (
      kind === "NodePgSession"
        ? import("drizzle-orm/node-postgres").then((m) => ({ Session: m.NodePgSession as unknown as SessionClass, Transaction: m.NodePgTransaction as unknown as TransactionClass }))
        : import("drizzle-orm/pglite").then((m) => ({ Session: m.PgliteSession as unknown as SessionClass, Transaction: m.PgliteTransaction as unknown as TransactionClass }))
    ).then((classes) => (loaded.set(kind, classes), classes));
    loading.set(kind, pending);
  }
  return pending;
}

/**
 * Runs `fn` in a new transaction opened with the runtime role and the workspace set, in as few
 * statements as the driver allows:
 *
 * - **node-postgres:** `BEGIN; SET LOCAL ROLE …; SET LOCAL …` in one simple-protocol message (one round
 *   trip, like a plain transaction's `BEGIN`), then `fn`, then `COMMIT` or `ROLLBACK` sent on the
 *   same pooled client, which goes back to the pool on every path (destroyed when a rollback
 *   failed: its state is unknown). A `COMMIT` the server turned into a rollback (a failed
 *   statement whose error `fn` swallowed) is an error, not a silent loss.
 * - **PGlite:** inside PGlite's own `transaction()` (it holds PGlite's mutex, so no other caller's
 *   statement slips in, and sends `BEGIN` itself), the settings in one `exec`.
 * - **any other driver:** Drizzle's `transaction()` and the settings as its first statement
 *   (`SELECT set_config(…, true)`: one command, whatever protocol the driver uses).
 *
 * `fn` gets the driver's own Drizzle transaction, so nested `transaction()` calls are savepoints.
 */
export async function runWorkspaceTransaction<TDb extends AnyPgDatabase, T>(db: TDb, opening: WorkspaceOpening, fn: (tx: WorkspaceTransaction<TDb>) => Promise<T>): Promise<T> {
  const session = db._.session as PgSession & DriverSession;
  const kind = kindOf(session);
  if (kind === "NodePgSession") return onNodePostgres(session, opening, fn as (tx: AnyPgDatabase) => Promise<T>);
  if (kind === "PgliteSession" && typeof (session.client as { transaction?: unknown }).transaction === "function") {
    return onPglite(session, opening, fn as (tx: AnyPgDatabase) => Promise<T>);
  }
  return db.transaction(async (tx) => {
    try {
      await tx.execute(sql.raw(settingsSelectSql(opening.workspaceId)));
    } catch (error) {
      throw opening.roleError(error);
    }
    return (fn as (tx: AnyPgDatabase) => Promise<T>)(tx);
  }, opening.config);
}

async function onNodePostgres<T>(session: DriverSession, opening: WorkspaceOpening, fn: (tx: AnyPgDatabase) => Promise<T>): Promise<T> {
  const classes = driverClasses("NodePgSession");
  const { Session, Transaction } = classes instanceof Promise ? await classes : classes;
  const openingSql = `${beginSql(opening.config)}; ${settingsSql(opening.workspaceId)}`;
  const pooled = session.client as PgClient & { connect?: () => Promise<PgClient> };
  // A Pool hands out a client per transaction; a handle bound to one client (a dedicated connection) uses it.
  const isPool = typeof pooled.connect === "function" && "idleCount" in pooled;
  const client = isPool ? await pooled.connect!() : pooled;
  let destroy: Error | undefined;
  try {
    try {
      await client.query(openingSql);
    } catch (error) {
      destroy = await rollback(client, error);
      throw opening.roleError(error);
    }
    const tx = new Transaction(session.dialect, new Session(client, session.dialect, session.schema, session.options), session.schema);
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      destroy = await rollback(client, error);
      throw error;
    }
    let committed: { command: string };
    try {
      committed = await client.query("COMMIT");
    } catch (error) {
      // An error the server sent (a deferred constraint, a serialization failure) ended the
      // transaction on a healthy connection; any other left the connection in an unknown state.
      if (!postgresError(error)?.code) destroy = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
    if (committed.command === "ROLLBACK") throw rolledBack();
    return result;
  } finally {
    if (isPool) client.release!(destroy);
  }
}

/** Rolls back after a failure; returns why the client must be destroyed when even that failed. */
async function rollback(client: PgClient, original: unknown): Promise<Error | undefined> {
  try {
    await client.query("ROLLBACK");
    return undefined;
  } catch (error) {
    // A lost connection cannot roll back (the server does it as the session ends): the caller
    // reports the original error, and the client is destroyed rather than pooled again.
    return new Error("ROLLBACK failed after an error in withWorkspace", { cause: original instanceof Error ? original : error });
  }
}

const rolledBack = (options?: ErrorOptions) =>
  new DbAccessError(
    "TRANSACTION_ROLLED_BACK",
    "withWorkspace's COMMIT was turned into a ROLLBACK by PostgreSQL: a statement inside fn failed and its error was caught without rethrowing. Nothing was saved; let the error propagate, or run the statement that may fail inside tx.transaction() (a savepoint).",
    options,
  );

async function onPglite<T>(session: DriverSession, opening: WorkspaceOpening, fn: (tx: AnyPgDatabase) => Promise<T>): Promise<T> {
  const classes = driverClasses("PgliteSession");
  const { Session, Transaction } = classes instanceof Promise ? await classes : classes;
  const characteristics = beginSql(opening.config).slice("BEGIN".length);
  const pg = session.client as { transaction<R>(cb: (t: { exec(text: string): Promise<unknown> }) => Promise<R>): Promise<R> };
  let done = false;
  try {
    return await pg.transaction(async (t) => {
      try {
        // The transaction's characteristics must come before its first query, so they share the exec.
        await t.exec(`${characteristics ? `SET TRANSACTION${characteristics}; ` : ""}${settingsSql(opening.workspaceId)}`);
      } catch (error) {
        throw opening.roleError(error);
      }
      const result = await fn(new Transaction(session.dialect, new Session(t, session.dialect, session.schema, session.options), session.schema));
      done = true;
      return result;
    });
  } catch (error) {
    // After fn resolved only the COMMIT can fail: PGlite reports one PostgreSQL turned into a
    // ROLLBACK as 25P02 (transaction aborted); a deferred constraint keeps its own code.
    if (done && [undefined, "25P02"].includes(postgresError(error)?.code)) throw rolledBack({ cause: error });
    throw error;
  }
}
