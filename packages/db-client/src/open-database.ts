import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Connection, Database, Orm, Row, SqlSession } from "./types.ts";
import { DatabaseInUseError } from "./errors.ts";
import { Mutex } from "./mutex.ts";

/** Options of {@link openDatabase}: exactly one of `url`, `dataDir`, `pglite`, or none (in-memory PGlite). */
export interface OpenDatabaseOptions {
  /** A PostgreSQL URL (`postgres://user@host:5432/db`): connects with postgres.js. */
  readonly url?: string;
  /** A directory for an embedded PGlite database; created when missing. */
  readonly dataDir?: string;
  /** An already started PGlite instance; `close()` then leaves it open. */
  readonly pglite?: PGlite;
  /** postgres.js pool size. Default {@link DEFAULT_POOL_SIZE}. */
  readonly max?: number;
  /**
   * How long to wait for a PGlite directory that another live process has open, in ms.
   * Default 0: fail at once with `DatabaseInUseError`.
   */
  readonly waitForDataDirMs?: number;
  /** Where server NOTICEs go. Default: dropped (every `IF NOT EXISTS` raises one). */
  readonly onNotice?: (message: string) => void;
}

/** Default postgres.js pool size. */
export const DEFAULT_POOL_SIZE = 5;

/** Name of the file that marks a PGlite directory as open by a process. */
export const PGLITE_LOCK_FILE = "ydtb.pid";

// One mutex per PGlite instance, however many Database objects wrap it.
const pgliteMutexes = new WeakMap<PGlite, Mutex>();

/**
 * Opens a database: PostgreSQL when `url` is given, otherwise PGlite (in a directory or in memory).
 *
 * @example
 * const db = await openDatabase({ url: process.env.DATABASE_URL });
 * const db2 = await openDatabase({ dataDir: "apps/core/.data" });
 * await db.close();
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url, options);
  if (options.pglite) return wrapPglite(options.pglite, "pglite:instance", async () => {});
  if (options.dataDir) {
    const release = await claimDataDirWithin(options.dataDir, options.waitForDataDirMs ?? 0);
    try {
      const pg = await PGlite.create({ dataDir: options.dataDir });
      return wrapPglite(pg, `pglite:${options.dataDir}`, async () => {
        await pg.close();
        release();
      });
    } catch (error) {
      release();
      throw error;
    }
  }
  const pg = await PGlite.create();
  return wrapPglite(pg, "pglite:memory", () => pg.close());
}

async function claimDataDirWithin(dataDir: string, waitMs: number): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return claimDataDir(dataDir);
    } catch (error) {
      if (!(error instanceof DatabaseInUseError) || Date.now() >= deadline) throw error;
      await Bun.sleep(100);
    }
  }
}

/**
 * Two PGlite instances on one directory corrupt it without an error, so a pid file
 * refuses a second opener while the first process is alive.
 */
function claimDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, PGLITE_LOCK_FILE);
  for (;;) {
    try {
      // "wx" creates the file only if it does not exist: two processes starting at once
      // cannot both win.
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder: number | undefined;
    try {
      holder = Number.parseInt(readFileSync(file, "utf8"), 10);
    } catch {
      continue; // removed between our two calls: try again
    }
    // Our own pid counts too: a second instance in this process would corrupt the directory as surely.
    if (holder && isAlive(holder)) throw new DatabaseInUseError(dataDir, holder);
    // A stale file from a process that died: take it over.
    rmSync(file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

type SessionFn = <T>(fn: (tx: SqlSession) => Promise<T>) => Promise<T>;

class PgliteSession implements SqlSession {
  readonly kind = "pglite" as const;
  #orm: Orm | undefined;
  constructor(protected readonly client: PGlite | Transaction) {}
  get orm(): Orm {
    return (this.#orm ??= drizzlePglite({ client: this.client as PGlite }) as unknown as Orm);
  }
  async exec(text: string): Promise<void> {
    await this.client.exec(text);
  }
  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(text, params as unknown[])).rows;
  }
}

class PgliteConnection extends PgliteSession implements Connection {
  constructor(protected readonly pg: PGlite) {
    super(pg);
  }
  // PGlite's own transaction() holds its query mutex, so other callers wait rather than
  // slipping their statements into ours.
  transaction: SessionFn = (fn) => this.pg.transaction((tx) => fn(new PgliteSession(tx)));
}

class PgliteDatabase extends PgliteConnection implements Database {
  #closed = false;
  constructor(
    pg: PGlite,
    readonly label: string,
    private readonly onClose: () => Promise<void>,
    private readonly mutex: Mutex,
  ) {
    super(pg);
  }
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    return this.mutex.run(() => fn(new PgliteConnection(this.pg)));
  }
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.onClose();
  }
}

function wrapPglite(pg: PGlite, label: string, close: () => Promise<void>): Database {
  let mutex = pgliteMutexes.get(pg);
  if (!mutex) pgliteMutexes.set(pg, (mutex = new Mutex()));
  return new PgliteDatabase(pg, label, close, mutex);
}

type PgClient = postgres.Sql | postgres.TransactionSql | postgres.ReservedSql;

class PostgresSession implements SqlSession {
  readonly kind = "postgres" as const;
  #orm: Orm | undefined;
  constructor(
    protected readonly client: PgClient,
    protected readonly root: postgres.Sql,
  ) {}
  get orm(): Orm {
    if (!this.#orm) {
      // drizzle reads the pool's type options, which a transaction or a reserved
      // connection does not carry.
      if (!("options" in this.client)) Object.assign(this.client, { options: this.root.options });
      this.#orm = drizzlePostgres({ client: this.client as postgres.Sql }) as unknown as Orm;
    }
    return this.#orm;
  }
  async exec(text: string): Promise<void> {
    await this.client.unsafe(text);
  }
  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.client.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[];
  }
}

class PostgresConnection extends PostgresSession implements Connection {
  constructor(
    private readonly reserved: postgres.ReservedSql,
    root: postgres.Sql,
  ) {
    super(reserved, root);
  }
  // A reserved connection has no begin(): the transaction is spelled out.
  transaction: SessionFn = async (fn) => {
    await this.reserved.unsafe("BEGIN");
    try {
      const result = await fn(this);
      await this.reserved.unsafe("COMMIT");
      return result;
    } catch (error) {
      await this.reserved.unsafe("ROLLBACK").catch(() => {});
      throw error;
    }
  };
}

class PostgresDatabase extends PostgresSession implements Database {
  #closed = false;
  constructor(
    private readonly sql: postgres.Sql,
    readonly label: string,
  ) {
    super(sql, sql);
  }
  transaction: SessionFn = (fn) => this.sql.begin((tx) => fn(new PostgresSession(tx, this.sql))) as never;
  async withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    const reserved = await this.sql.reserve();
    try {
      return await fn(new PostgresConnection(reserved, this.sql));
    } finally {
      reserved.release();
    }
  }
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.sql.end({ timeout: 2 });
  }
}

function openPostgres(url: string, options: OpenDatabaseOptions): Database {
  const sql = postgres(url, {
    max: options.max ?? DEFAULT_POOL_SIZE,
    onnotice: (notice) => options.onNotice?.(String(notice.message)),
    idle_timeout: 20,
    connection: { application_name: "ydtb-db" },
  });
  return new PostgresDatabase(sql, redact(url));
}

/** A URL with its password replaced by `***`, for messages and labels. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://<unparseable url>";
  }
}
