import pg from "pg";

/** Bounds of {@link queryOnce}. */
export interface QueryOnceOptions {
  /** Wait for the session (TCP, TLS, authentication), ms. */
  readonly connectTimeoutMs: number;
  /** Wait for the query's answer, ms. */
  readonly queryTimeoutMs: number;
}

/**
 * One query on one short-lived connection to a PostgreSQL server: connect, run `text` (no
 * parameters), close. For a caller that must not load the whole client (`ydtb-db migrate`'s
 * no-op shortcut): node-postgres only, no probe, no retry — one connection attempt, so a wrong
 * endpoint costs one connection, never a reconnect storm. Every wait is bounded by `options`.
 * Errors are node-postgres's, unchanged; the caller decides (the shortcut falls back to the
 * full path, which probes and explains).
 *
 * @example
 * const rows = await queryOnce(url, "SELECT 1 AS one", { connectTimeoutMs: 2_000, queryTimeoutMs: 5_000 });
 */
export async function queryOnce(url: string, text: string, options: QueryOnceOptions): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: options.connectTimeoutMs, query_timeout: options.queryTimeoutMs });
  // A socket error after the query (the server going away) must not become an unhandled event.
  client.on("error", () => undefined);
  try {
    await client.connect();
    const result = await client.query<Record<string, unknown>>(text);
    return result.rows;
  } finally {
    await client.end();
  }
}
