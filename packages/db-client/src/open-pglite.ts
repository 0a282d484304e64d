import type { Extension, PGlite, Transaction } from "@electric-sql/pglite";
import type { drizzle as drizzlePgliteFn } from "drizzle-orm/pglite";
import { claimDataDirWithin } from "./claim-data-dir.ts";
import { postgresError } from "./postgres-error.ts";
import { BatchStatementError, UnknownExtensionError } from "./errors.ts";
import { Mutex } from "./mutex.ts";
import type { Connection, Database, Orm, Row, SqlSession } from "./types.ts";

/** What {@link openPglite} needs to know. */
export interface PgliteTarget {
  /** A directory (created when missing), or none for an in-memory database. */
  readonly dataDir?: string;
  /** An instance started by the caller; `close()` then leaves it open. */
  readonly pglite?: PGlite;
  readonly waitForDataDirMs: number;
  readonly extensions: readonly string[];
}

type DrizzlePglite = typeof drizzlePgliteFn;
type SessionFn = <T>(fn: (tx: SqlSession) => Promise<T>) => Promise<T>;

// One mutex per PGlite instance, however many Database objects wrap it.
const pgliteMutexes = new WeakMap<PGlite, Mutex>();

/**
 * Opens PGlite. Its modules are imported here, not at load time: a server boot never pays for
 * evaluating PGlite's bundle.
 *
 * @example
 * const db = await openPglite({ dataDir: ".data", waitForDataDirMs: 0, extensions: ["pg_trgm"] });
 */
export async function openPglite(target: PgliteTarget): Promise<Database> {
  const { drizzle } = await import("drizzle-orm/pglite");
  if (target.pglite) return wrap(target.pglite, "pglite:instance", drizzle, async () => {});
  const extensions = await loadExtensions(target.extensions);
  const { PGlite } = await import("@electric-sql/pglite");
  if (!target.dataDir) {
    const pg = await PGlite.create({ extensions });
    return wrap(pg, "pglite:memory", drizzle, () => pg.close());
  }
  const release = await claimDataDirWithin(target.dataDir, target.waitForDataDirMs);
  try {
    const pg = await PGlite.create({ dataDir: target.dataDir, extensions });
    return wrap(pg, `pglite:${target.dataDir}`, drizzle, async () => {
      try {
        await pg.close();
      } finally {
        release();
      }
    });
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Imports PGlite's contrib modules by extension name (`uuid-ossp` is `contrib/uuid_ossp`;
 * `vector` is `@electric-sql/pglite/vector`), for `PGlite.create({ extensions })`. Throws
 * `UnknownExtensionError` for one PGlite lacks.
 *
 * @example
 * const pg = await PGlite.create({ loadDataDir, extensions: await loadExtensions(["pg_trgm"]) });
 */
export async function loadExtensions(names: readonly string[]): Promise<Record<string, Extension>> {
  const loaded: Record<string, Extension> = {};
  for (const name of names) {
    const key = name.replaceAll("-", "_");
    // Checked before building a module path from it.
    if (!/^[a-z][a-z0-9_]*$/.test(key)) throw new UnknownExtensionError(name);
    const specifier = key === "vector" ? "@electric-sql/pglite/vector" : `@electric-sql/pglite/contrib/${key}`;
    let mod: Record<string, unknown>;
    try {
      mod = (await import(specifier)) as Record<string, unknown>;
    } catch (error) {
      throw new UnknownExtensionError(name, { cause: error });
    }
    const extension = mod[key];
    if (!extension || typeof extension !== "object") throw new UnknownExtensionError(name);
    loaded[key] = extension as Extension;
  }
  return loaded;
}

class PgliteSession implements SqlSession {
  readonly kind = "pglite" as const;
  #orm: Orm | undefined;
  constructor(
    protected readonly client: PGlite | Transaction,
    protected readonly drizzle: DrizzlePglite,
  ) {}
  get orm(): Orm {
    return (this.#orm ??= this.drizzle({ client: this.client as PGlite }) as unknown as Orm);
  }
  async exec(text: string): Promise<void> {
    await this.client.exec(text);
  }
  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(text, params as unknown[])).rows;
  }
}

class PgliteConnection extends PgliteSession implements Connection {
  constructor(
    protected readonly pg: PGlite,
    drizzle: DrizzlePglite,
  ) {
    super(pg, drizzle);
  }
  // PGlite's own transaction() holds its query mutex, so other callers wait rather than
  // slipping their statements into ours.
  transaction: SessionFn = (fn) => this.pg.transaction((tx) => fn(new PgliteSession(tx, this.drizzle)));
  // In process there is no round trip to save: statement by statement, so a failure names its own.
  async transactionBatch(statements: readonly string[]): Promise<void> {
    let at = 0;
    try {
      await this.pg.transaction(async (tx) => {
        for (; at < statements.length; at++) await tx.exec(statements[at]!);
      });
    } catch (error) {
      if (!postgresError(error)) throw error;
      throw new BatchStatementError(at, statements.length, { cause: error });
    }
  }
}

class PgliteDatabase extends PgliteConnection implements Database {
  #closed = false;
  constructor(
    pg: PGlite,
    readonly label: string,
    drizzle: DrizzlePglite,
    private readonly onClose: () => Promise<void>,
    private readonly mutex: Mutex,
  ) {
    super(pg, drizzle);
  }
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    return this.mutex.run(() => fn(new PgliteConnection(this.pg, this.drizzle)));
  }
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.onClose();
  }
}

function wrap(pg: PGlite, label: string, drizzle: DrizzlePglite, close: () => Promise<void>): Database {
  let mutex = pgliteMutexes.get(pg);
  if (!mutex) pgliteMutexes.set(pg, (mutex = new Mutex()));
  return new PgliteDatabase(pg, label, drizzle, close, mutex);
}
