import type { Connection, Row, SqlSession } from "@ydtb/db-client";

/** A running count of the round trips the engine sends. */
export interface QueryCounter {
  count: number;
}

/**
 * Wraps a connection so every `exec`, `query` and transaction boundary it sends is counted.
 * The Drizzle `orm` a TypeScript migration gets is not counted (its queries are the migration's).
 *
 * @example
 * const counter = { count: 0 };
 * const counted = countQueries(conn, counter);
 */
export function countQueries<S extends SqlSession | Connection>(session: S, counter: QueryCounter): S {
  const wrapped: SqlSession & Partial<Connection> = {
    kind: session.kind,
    get orm() {
      return session.orm;
    },
    async exec(text: string) {
      counter.count++;
      await session.exec(text);
    },
    async query<T extends Row = Row>(text: string, params?: readonly unknown[]) {
      counter.count++;
      return session.query<T>(text, params);
    },
  };
  if ("transaction" in session && typeof session.transaction === "function") {
    const tx = session.transaction.bind(session);
    wrapped.transaction = async <T>(fn: (t: SqlSession) => Promise<T>) => {
      counter.count += 2; // BEGIN and COMMIT/ROLLBACK
      return tx((inner) => fn(countQueries(inner, counter)));
    };
    const batch = session.transactionBatch.bind(session);
    // One message on a server; on PGlite, as many calls as statements with BEGIN and COMMIT.
    wrapped.transactionBatch = async (statements: readonly string[]) => {
      counter.count += session.kind === "postgres" ? 1 : statements.length + 2;
      await batch(statements);
    };
  }
  return wrapped as S;
}
