import postgres from "postgres";
import { serverUrl } from "./server-url.ts";
import { GUARDED_DATABASE_PREFIX, sweepStaleDatabases, TEST_DATABASE_COMMENT, TEST_DATABASE_LOCK_CLASS, TEST_DATABASE_PREFIX } from "./sweep-stale-databases.ts";

/** A server database made for one test, guarded by its creator's advisory lock until dropped. */
export interface ServerTestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database (closing any connection left to it) and releases its lock. */
  drop(): Promise<void>;
}

// One admin pool for CREATE/DROP, one session that holds a lock per live test database: when the
// process dies, the server ends that session, frees the locks, and the next run's sweep can tell.
interface ServerConnections {
  readonly admin: postgres.Sql;
  readonly locks: postgres.Sql;
  readonly swept: Promise<unknown>;
}
const servers = new Map<string, ServerConnections>();
let counter = 0;
let live = 0;

/** Names tried before giving up when each one's lock is taken (only hash collisions do that). */
export const MAX_NAME_ATTEMPTS = 5;

const quiet = { onnotice: () => {} };

function connections(base: string): ServerConnections {
  let c = servers.get(base);
  if (!c) {
    const admin = postgres(base, { max: 2, ...quiet, connection: { application_name: `ydtb-test-db admin ${process.pid}` } });
    const locks = postgres(base, { max: 1, ...quiet, connection: { application_name: `ydtb-test-db locks ${process.pid}` } });
    const swept = sweepStaleDatabases(admin, locks).then(({ dropped }) => {
      if (dropped.length > 0) process.stderr.write(`ydtb-test-db: dropped ${dropped.length} database(s) an interrupted run left: ${dropped.join(", ")}\n`);
    });
    c = { admin, locks, swept };
    servers.set(base, c);
  }
  return c;
}

/** Options of {@link createServerDatabase}. */
export interface ServerDatabaseOptions {
  /** The server. Default: `TEST_DATABASE_URL`, else `DATABASE_URL`. */
  readonly url?: string;
  /** The name's prefix, `ydtb_…`. Default {@link TEST_DATABASE_PREFIX}. */
  readonly prefix?: string;
}

/**
 * Creates an empty database on the test server (`TEST_DATABASE_URL`, else `DATABASE_URL`, or
 * `options.url`). The first call of a process on a server sweeps the test databases earlier runs left behind (see
 * {@link sweepStaleDatabases}); the lock this process holds keeps its own from being swept.
 *
 * @example
 * const db = await createServerDatabase();
 * try { await useUrl(db.url); } finally { await db.drop(); }
 */
export async function createServerDatabase(options: ServerDatabaseOptions = {}): Promise<ServerTestDatabase> {
  const base = options.url ?? serverUrl();
  if (!base) throw new Error("No PostgreSQL server: set TEST_DATABASE_URL or DATABASE_URL.");
  const prefix = options.prefix ?? TEST_DATABASE_PREFIX;
  if (!prefix.startsWith(GUARDED_DATABASE_PREFIX)) throw new Error(`the database prefix "${prefix}" must start with "${GUARDED_DATABASE_PREFIX}"`);
  const c = connections(base);
  await c.swept;
  // The lock is taken before the database exists, so no sweep ever sees it unguarded. A name whose
  // hash another live database's lock already holds (a hashtext collision) is not waited for: a new
  // name is drawn.
  let name = "";
  for (let attempt = 0; !name; attempt++) {
    if (attempt === MAX_NAME_ATTEMPTS) throw new Error(`no free test database lock after ${MAX_NAME_ATTEMPTS} names; is another process holding every ydtb-test-db lock?`);
    const candidate = `${prefix}${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
    const [row] = await c.locks<{ ok: boolean }[]>`SELECT pg_try_advisory_lock(${TEST_DATABASE_LOCK_CLASS}, hashtext(${candidate})) AS ok`;
    if (row?.ok) name = candidate;
  }
  try {
    await c.admin.unsafe(`CREATE DATABASE "${name}"`);
    await c.admin.unsafe(`COMMENT ON DATABASE "${name}" IS '${TEST_DATABASE_COMMENT}'`);
  } catch (error) {
    // Without its comment no sweep would ever drop it: drop it now, while the lock is held.
    await c.admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.locks`SELECT pg_advisory_unlock(${TEST_DATABASE_LOCK_CLASS}, hashtext(${name}))`;
    throw new Error(`creating the test database "${name}" failed`, { cause: error });
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  live++;
  return {
    name,
    url: url.toString(),
    async drop() {
      // FORCE: this test's own connections (a child process killed mid-test) must not keep it.
      await c.admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.locks`SELECT pg_advisory_unlock(${TEST_DATABASE_LOCK_CLASS}, hashtext(${name}))`;
      live--;
    },
  };
}

/**
 * Closes the admin and lock connections of this process. While a test database of this process
 * is still alive nothing is closed: closing the lock session would leave it open to a sweep.
 */
export async function closeServerConnections(): Promise<void> {
  if (live > 0) return;
  const all = [...servers.values()];
  servers.clear();
  await Promise.all(all.flatMap((c) => [c.admin.end({ timeout: 2 }), c.locks.end({ timeout: 2 })]));
}
