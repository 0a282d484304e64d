import type { Pool, PoolClient, PoolConfig } from "pg";
import type { drizzle as drizzleNodePgFn } from "drizzle-orm/node-postgres";
import type { DatabaseEndpoint } from "./database-url.ts";
import { toConnectError, toQueryError, sqlState } from "./driver-errors.ts";
import { BatchStatementError } from "./errors.ts";
import { batchSender, statementAt, type SendBatch } from "./postgres-batch.ts";
import { probeEndpoint } from "./probe-endpoint.ts";
import type { Connection, Database, Orm, Row, SqlSession } from "./types.ts";

/** What {@link openPostgres} needs to know. */
export interface PostgresTarget {
  readonly url: string;
  readonly endpoint: DatabaseEndpoint;
  /** The URL without its password. */
  readonly label: string;
  readonly max: number;
  readonly connectTimeoutMs: number;
  readonly connectionCheckIntervalMs: number;
  readonly onNotice?: (message: string) => void;
}

/** How long `close()` waits for connections still in use, in ms. */
export const CLOSE_TIMEOUT_MS = 2_000;

type DrizzleNodePg = typeof drizzleNodePgFn;
type SessionFn = <T>(fn: (tx: SqlSession) => Promise<T>) => Promise<T>;

/**
 * Connects to a PostgreSQL server with node-postgres. First asks the endpoint whether it speaks
 * PostgreSQL ({@link probeEndpoint}), then opens one session, each within `connectTimeoutMs`: a bad
 * endpoint is a `ConnectFailedError` naming host:port, never a hang or a reconnect loop.
 * node-postgres is imported here, not at load time: a PGlite boot never evaluates it.
 *
 * @example
 * const db = await openPostgres({ url, endpoint: parseDatabaseUrl(url), label: maskDatabaseUrl(url), max: 5, connectTimeoutMs: 10_000, connectionCheckIntervalMs: 2_000 });
 */
export async function openPostgres(target: PostgresTarget): Promise<Database> {
  const failure = await probeEndpoint(target.endpoint, target.connectTimeoutMs);
  if (failure) throw failure;
  const [{ default: pg }, { drizzle }] = await Promise.all([import("pg"), import("drizzle-orm/node-postgres")]);
  const timeoutMs = target.connectTimeoutMs;
  // node-postgres applies a pool's connectionTimeoutMillis to waiting for a free connection too;
  // only the connect itself is bounded here (the engine bounds its own waits).
  class BoundedClient extends pg.Client {
    constructor(config?: PoolConfig) {
      super({ ...config, connectionTimeoutMillis: timeoutMs });
    }
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.max,
    idleTimeoutMillis: 20_000,
    application_name: "ydtb-db",
    // TCP keepalive from 10 s of silence: a peer that vanished without closing is noticed by the
    // kernel's probes instead of never.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    Client: BoundedClient,
  });
  const lost = new WeakMap<PoolClient, Error>();
  const send = batchSender(pg);
  pool.on("connect", (client) => {
    // A checked-out client whose socket dies between queries emits "error"; unheard it would
    // crash the process. Recorded so the client is destroyed, not reused, on release.
    // The first error says why (e.g. 57P01); the socket's "terminated" that follows does not.
    client.on("error", (error) => lost.has(client) || lost.set(client, error));
    client.on("notice", (notice) => target.onNotice?.(String(notice.message)));
  });
  // An idle client that died: the pool has already removed it, and the next query opens another.
  pool.on("error", (error, client) => lost.has(client as PoolClient) || lost.set(client as PoolClient, error));
  const db = new PostgresDatabase(pool, target, drizzle, lost, send);
  try {
    await db.withClient(async () => undefined);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

class PostgresSession implements SqlSession {
  readonly kind = "postgres" as const;
  #orm: Orm | undefined;
  constructor(
    protected readonly client: Pool | PoolClient,
    readonly label: string,
    protected readonly drizzle: DrizzleNodePg,
    /** Why each client's connection died, as its "error" event said (carries the SQLSTATE, e.g. 57P01). */
    protected readonly lost?: WeakMap<PoolClient, Error>,
  ) {}
  /** The query's error, or the connection's own when the query's only says "not queryable". */
  protected failure(error: unknown): unknown {
    const died = this.lost?.get(this.client as PoolClient);
    return toQueryError(died && !sqlState(error) ? died : error, this.label);
  }
  get orm(): Orm {
    return (this.#orm ??= this.drizzle({ client: this.client }) as unknown as Orm);
  }
  async exec(text: string): Promise<void> {
    try {
      await this.client.query(text);
    } catch (error) {
      throw this.failure(error);
    }
  }
  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    try {
      return (await this.client.query<T>(text, params as unknown[])).rows;
    } catch (error) {
      throw this.failure(error);
    }
  }
}

// On a line of its own: a statement ending in a line comment cannot swallow the semicolon.
const BATCH_SEPARATOR = "\n;\n";

class PostgresConnection extends PostgresSession implements Connection {
  constructor(
    client: PoolClient,
    label: string,
    drizzle: DrizzleNodePg,
    lost: WeakMap<PoolClient, Error> | undefined,
    private readonly send: SendBatch,
  ) {
    super(client, label, drizzle, lost);
  }
  // A pooled client has no transaction helper: the transaction is spelled out.
  transaction: SessionFn = async (fn) => {
    await this.exec("BEGIN");
    try {
      const result = await fn(this);
      await this.exec("COMMIT");
      return result;
    } catch (error) {
      // A lost connection cannot roll back, and needs not (the server rolls back with the
      // session): the original error is the one to report.
      await this.exec("ROLLBACK").catch(() => undefined);
      throw error;
    }
  };

  // One message, one round trip. The server answers each statement with a CommandComplete and
  // stops at the first error, so the count says which failed: 0 → it refused the whole message
  // (a syntax error; its position says where) and no transaction began; BEGIN and the first k
  // statements → statement k failed and the transaction is aborted; all of them → COMMIT failed,
  // which ended the transaction.
  async transactionBatch(statements: readonly string[]): Promise<void> {
    const all = ["BEGIN", ...statements, "COMMIT"];
    const { completed, error } = await this.send(this.client as PoolClient, all.join(BATCH_SEPARATOR));
    if (error === undefined) return;
    const failure = this.failure(error);
    // A lost connection cannot roll back, and needs not (the server rolls back with the session).
    if (!sqlState(failure)) throw failure;
    // A rollback that fails means the connection broke: the server rolls back with the session,
    // and the statement's error is the one to report.
    if (completed > 0 && completed <= statements.length) await this.exec("ROLLBACK").catch(() => undefined);
    if (completed > 0) throw new BatchStatementError(completed - 1, statements.length, { cause: failure });
    const inMessage = statementAt(all, BATCH_SEPARATOR, Number((failure as { position?: string }).position));
    const index = inMessage === undefined ? undefined : Math.min(Math.max(inMessage - 1, 0), statements.length);
    throw new BatchStatementError(index, statements.length, { cause: failure });
  }
}

class PostgresDatabase extends PostgresSession implements Database {
  #closed = false;
  // Clients on which client_connection_check_interval has been set (it lasts for the session).
  readonly #checked = new WeakSet<PoolClient>();
  constructor(
    private readonly pool: Pool,
    private readonly target: PostgresTarget,
    drizzle: DrizzleNodePg,
    lost: WeakMap<PoolClient, Error>,
    private readonly send: SendBatch,
  ) {
    super(pool, target.label, drizzle, lost);
  }

  /** Runs `fn` on a pooled client; a client whose connection died is destroyed, not pooled again. */
  async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toConnectError(error, this.target.endpoint, this.target.connectTimeoutMs);
    }
    try {
      return await fn(client);
    } finally {
      client.release(this.lost?.get(client) ?? false);
    }
  }

  transaction: SessionFn = (fn) => this.withClient((client) => new PostgresConnection(client, this.label, this.drizzle, this.lost, this.send).transaction(fn));

  transactionBatch(statements: readonly string[]): Promise<void> {
    return this.withClient((client) => new PostgresConnection(client, this.label, this.drizzle, this.lost, this.send).transactionBatch(statements));
  }

  override exec(text: string): Promise<void> {
    return this.withClient((client) => new PostgresSession(client, this.label, this.drizzle, this.lost).exec(text));
  }

  override query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.withClient((client) => new PostgresSession(client, this.label, this.drizzle, this.lost).query<T>(text, params));
  }

  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      const conn = new PostgresConnection(client, this.label, this.drizzle, this.lost, this.send);
      await this.#checkConnection(conn, client);
      return fn(conn);
    });
  }

  /**
   * A dedicated connection holds session state, the migration lock above all. With
   * `client_connection_check_interval` the server polls the socket while a statement runs, so a
   * killed client's backend (and its advisory lock) ends within the interval instead of when the
   * statement ends.
   */
  async #checkConnection(conn: PostgresConnection, client: PoolClient): Promise<void> {
    if (this.#checked.has(client) || this.target.connectionCheckIntervalMs <= 0) return;
    try {
      await conn.exec(`SET client_connection_check_interval = ${Math.round(this.target.connectionCheckIntervalMs)}`);
    } catch (error) {
      // PostgreSQL before 14 has no such setting: the lock then lives until the running statement ends.
      if (sqlState(error) !== "42704") throw error;
    }
    this.#checked.add(client);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // pool.end() waits for checked-out clients; bounded so a stuck caller cannot hold the exit.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.pool.end(), new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
    clearTimeout(timer);
  }
}
