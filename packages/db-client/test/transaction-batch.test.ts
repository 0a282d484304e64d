import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BatchStatementError, openDatabase, postgresError, type Connection, type Database } from "../src/index.ts";
import { statementAt } from "../src/postgres-batch.ts";

// Temporary tables only: they live and die with the test's own connection.
const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
const kinds = [
  { kind: "pglite", open: () => openDatabase({}), skip: false },
  { kind: "postgres", open: () => openDatabase({ url: url!, max: 1 }), skip: !url },
] as const;

async function batchError(conn: Connection, statements: readonly string[]): Promise<BatchStatementError> {
  const outcome = await conn.transactionBatch(statements).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof BatchStatementError)) throw new Error(`expected a BatchStatementError, got ${String(outcome)}`);
  return outcome;
}

for (const { kind, open, skip } of kinds) {
  describe.skipIf(skip)(`transactionBatch [${kind}]`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await open();
    });
    afterAll(() => db.close());
    const withConn = (fn: (conn: Connection) => Promise<void>) =>
      db.withConnection(async (conn) => {
        await conn.exec("CREATE TEMP TABLE fx_batch (id int PRIMARY KEY); CREATE TEMP TABLE fx_batch_c (p int REFERENCES fx_batch DEFERRABLE INITIALLY DEFERRED)");
        try {
          await fn(conn);
        } finally {
          await conn.exec("DROP TABLE fx_batch_c, fx_batch");
        }
      });
    const ids = async (conn: Connection) => (await conn.query<{ id: number }>("SELECT id FROM fx_batch ORDER BY id")).map((r) => r.id);

    test("commits every statement together", async () => {
      await withConn(async (conn) => {
        await conn.transactionBatch(["INSERT INTO fx_batch VALUES (1) -- a comment to the end of the line", "INSERT INTO fx_batch VALUES (2)"]);
        expect(await ids(conn)).toEqual([1, 2]);
      });
    });

    test("a failing statement is named by its index, its error kept as cause; nothing is kept and the connection goes on", async () => {
      await withConn(async (conn) => {
        const e = await batchError(conn, ["INSERT INTO fx_batch VALUES (1)", "INSERT INTO fx_batch VALUES (1)", "INSERT INTO fx_batch VALUES (3)"]);
        expect([e.code, e.index, e.statementCount, postgresError(e)?.code]).toEqual(["BATCH_STATEMENT_FAILED", 1, 3, "23505"]);
        expect(await ids(conn)).toEqual([]);
        const missing = await batchError(conn, ["INSERT INTO fx_batch VALUES (1)", "INSERT INTO fx_batch_nope VALUES (1)"]);
        expect([missing.index, postgresError(missing)?.code]).toEqual([1, "42P01"]);
        await conn.transactionBatch(["INSERT INTO fx_batch VALUES (4)"]);
        expect(await ids(conn)).toEqual([4]);
      });
    });

    test("a statement the server cannot parse is named too, though nothing of the message ran", async () => {
      await withConn(async (conn) => {
        const e = await batchError(conn, ["INSERT INTO fx_batch VALUES (1)", "INSERT INTO fx_batch VALUES (2)", "SELEC 1"]);
        expect([e.index, postgresError(e)?.code]).toEqual([2, "42601"]);
        expect(await ids(conn)).toEqual([]);
      });
    });

    test("a failing COMMIT (a deferred constraint) has the index after the last statement", async () => {
      await withConn(async (conn) => {
        const e = await batchError(conn, ["INSERT INTO fx_batch VALUES (1)", "INSERT INTO fx_batch_c VALUES (2)"]);
        expect([e.index, e.statementCount, postgresError(e)?.code]).toEqual([2, 2, "23503"]);
        expect(e.message).toContain("COMMIT");
        expect(await ids(conn)).toEqual([]);
      });
    });
  });
}

test("statementAt maps a position in the joined message to its statement", () => {
  const parts = ["BEGIN", "SELECT 'é'", "SELEC 1", "COMMIT"];
  const text = parts.join(";\n");
  const at = (needle: string) => [...text.slice(0, text.indexOf(needle))].length + 1;
  expect([statementAt(parts, ";\n", at("BEGIN")), statementAt(parts, ";\n", at("'é'")), statementAt(parts, ";\n", at("SELEC 1")), statementAt(parts, ";\n", at("COMMIT"))]).toEqual([0, 1, 2, 3]);
  expect([statementAt(parts, ";\n", undefined), statementAt(parts, ";\n", 0), statementAt(parts, ";\n", 10_000)]).toEqual([undefined, undefined, undefined]);
});
