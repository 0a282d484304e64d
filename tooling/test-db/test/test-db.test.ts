import { expect, test } from "bun:test";
import { describeDatabases } from "../src/index.ts";

describeDatabases("test database", (target) => {
  test("each test gets an empty database, usable in a transaction and on one connection", async () => {
    const db = await target.fresh();
    expect(db.kind).toBe(target.kind);
    const tables = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables[0]?.n).toBe(0);
    await db.exec("CREATE TABLE t (id int primary key); INSERT INTO t VALUES (1)");
    await expect(
      db.transaction(async (tx) => {
        await tx.exec("INSERT INTO t VALUES (2)");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await db.withConnection((conn) => conn.transaction((tx) => tx.exec("INSERT INTO t VALUES (3)")));
    const rows = await db.query<{ id: number }>("SELECT id FROM t ORDER BY id");
    expect(rows.map((r) => r.id)).toEqual([1, 3]);
  });

  test("a second test does not see the first one's tables", async () => {
    const db = await target.fresh();
    const rows = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 't'");
    expect(rows).toHaveLength(0);
  });
});
