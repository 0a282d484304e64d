import type { PoolClient } from "pg";

type QueryClass = typeof import("pg").Query;

/** What the server did with one multi-statement message. */
export interface BatchOutcome {
  /** Statements the server completed (one CommandComplete each), in order. */
  readonly completed: number;
  /** The message's failure, if any: the statement after the completed ones failed. */
  readonly error?: unknown;
}

/** Sends `text` (several statements, no parameters) to `client` as one simple-protocol message. */
export type SendBatch = (client: PoolClient, text: string) => Promise<BatchOutcome>;

// node-postgres calls these on the query it is running (pg-cursor and pg-query-stream rely on
// the same hooks); the types declare only `submit`.
interface QueryHooks {
  handleCommandComplete(message: unknown, connection: unknown): void;
}

/**
 * A sender built on node-postgres's own `Query`, which counts the statements the server
 * completed: the simple protocol reports one CommandComplete per statement and stops at the
 * first error, so the count names the statement that failed.
 *
 * @example
 * const send = batchSender(pg);
 * const { completed, error } = await send(client, "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT");
 */
export function batchSender(pg: { readonly Query: QueryClass }): SendBatch {
  const Query = pg.Query as unknown as new (text: string) => InstanceType<QueryClass> & QueryHooks;
  class CountingQuery extends Query {
    completed = 0;
    override handleCommandComplete(message: unknown, connection: unknown): void {
      this.completed++;
      super.handleCommandComplete(message, connection);
    }
  }
  return (client, text) =>
    new Promise((resolve) => {
      const query = new CountingQuery(text);
      client.query(query as never, ((error: unknown) => resolve(error ? { completed: query.completed, error } : { completed: query.completed })) as never);
    });
}

/**
 * The 0-based statement a PostgreSQL error `position` (1-based, in characters, into the whole
 * message) falls in, given each statement's text and the separator between them; undefined
 * when the error has no position.
 *
 * @example
 * statementAt(["BEGIN", "SELEC 1"], ";\n", 9) // 1
 */
export function statementAt(statements: readonly string[], separator: string, position: number | undefined): number | undefined {
  if (position === undefined || !Number.isInteger(position) || position < 1) return undefined;
  const gap = [...separator].length;
  let end = 0;
  for (const [i, s] of statements.entries()) {
    end += [...s].length;
    if (position <= end + gap) return i;
    end += gap;
  }
  return undefined;
}
