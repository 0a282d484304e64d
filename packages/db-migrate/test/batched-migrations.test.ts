import { afterAll, expect, test } from "bun:test";
import { describeDatabases } from "@ydtb/test-db";
import { HISTORY_TABLE, migrate, MigrationFailedError } from "../src/index.ts";
import { sqlLiteral } from "../src/history/sql-literal.ts";
import { coreManifest, folderManifest, removeTempDirs, tempDir, writeFolder } from "./fixtures/fixture-packages.ts";
import { historyLines, appliedIds, exists } from "./fixtures/history-queries.ts";

// A transactional SQL migration travels as one message on a server (BEGIN, timeouts, its
// statements, its bookkeeping, COMMIT): these are the failure paths of that message.

afterAll(removeTempDirs);

async function rejection(promise: Promise<unknown>): Promise<MigrationFailedError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof MigrationFailedError)) throw new Error(`expected a MigrationFailedError, got ${String(outcome)}`);
  return outcome;
}

describeDatabases("SQL migrations sent as one transaction", (target) => {
  test("a failing history write rolls its SQL migration back with it, and says the recording failed", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest]);
    await db.exec(`CREATE FUNCTION fx_refuse() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN
      IF NEW.migration_id = '0001_b' AND NEW.success THEN RAISE EXCEPTION 'history refused'; END IF; RETURN NEW; END $f$;
      CREATE TRIGGER fx_refuse BEFORE INSERT ON ${HISTORY_TABLE} FOR EACH ROW EXECUTE FUNCTION fx_refuse();`);
    const dir = tempDir();
    writeFolder(dir, [
      { tag: "0000_a", up: "CREATE TABLE fx_batch_a (id int);" },
      { tag: "0001_b", up: "CREATE TABLE fx_batch_b (id int);\nINSERT INTO fx_batch_b VALUES (1);" },
    ]);
    const e = await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-batch", dir)]));
    expect([e.failure.id, e.failure.pgCode, e.failure.statement]).toEqual(["0001_b", "P0001", undefined]);
    expect(e.failure.pgMessage).toStartWith("recording it failed: history refused");
    expect([await exists(db, "fx_batch_a"), await exists(db, "fx_batch_b")]).toEqual([true, false]);
    expect(await appliedIds(db, "@ydtb/fx-batch")).toEqual(["0000_a"]);
    expect(await historyLines(db, "@ydtb/fx-batch")).toEqual(["0000_a up true", "0001_b up false"]);
  });

  test("a deferred constraint failing at COMMIT keeps nothing of the migration and names COMMIT", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [
      { tag: "0000_tables", up: "CREATE TABLE fx_def_p (id int PRIMARY KEY);\nCREATE TABLE fx_def_c (p int REFERENCES fx_def_p DEFERRABLE INITIALLY DEFERRED);" },
      { tag: "0001_rows", up: "INSERT INTO fx_def_p VALUES (1);\nINSERT INTO fx_def_c VALUES (2);" },
    ]);
    const e = await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-def", dir)]));
    expect([e.failure.id, e.failure.pgCode, e.failure.statement]).toEqual(["0001_rows", "23503", undefined]);
    expect(e.failure.pgMessage).toStartWith("COMMIT failed: ");
    expect(await db.query(`SELECT id FROM fx_def_p`)).toEqual([]);
    expect(await appliedIds(db, "@ydtb/fx-def")).toEqual(["0000_tables"]);
    expect(await historyLines(db, "@ydtb/fx-def")).toEqual(["0000_tables up true", "0001_rows up false"]);
  });

  test("the history row records the migration's own time, measured by the database", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [{ tag: "0000_slow", up: "CREATE TABLE fx_slow (id int);\nSELECT pg_sleep(0.2);" }]);
    await migrate(db, [coreManifest, folderManifest("@ydtb/fx-slow", dir)]);
    const [row] = await db.query<{ ms: number }>(`SELECT execution_ms AS ms FROM ${HISTORY_TABLE} WHERE package = '@ydtb/fx-slow'`);
    expect(row!.ms).toBeGreaterThanOrEqual(200);
  });

  test("who applied it is stored as given, quotes and backslashes included", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [{ tag: "0000_who", up: "CREATE TABLE fx_who (id int);" }]);
    const appliedBy = `o'brien\\'); DROP TABLE fx_who; --`;
    await migrate(db, [coreManifest, folderManifest("@ydtb/fx-who", dir)], { appliedBy });
    const [row] = await db.query<{ by: string }>(`SELECT applied_by AS by FROM ${HISTORY_TABLE} WHERE package = '@ydtb/fx-who'`);
    expect(row!.by).toBe(appliedBy);
    expect(await exists(db, "fx_who")).toBe(true);
  });

  test("sqlLiteral reads back as the same value, whatever standard_conforming_strings says", async () => {
    const db = await target.fresh();
    const values = ["plain", "it's", "back\\slash", "\\' OR 1=1 --", "E'x'", "$$dollar$$", "line\nbreak\ttab", "ünïcødé ✓ 😀"];
    for (const conforming of ["on", "off"]) {
      const read = await db.withConnection(async (conn) => {
        await conn.exec(`SET standard_conforming_strings = ${conforming}`);
        const rows = await conn.query<{ v: string }>(values.map((v, i) => `SELECT ${i} AS i, ${sqlLiteral(v)}::text AS v`).join(" UNION ALL ") + " ORDER BY i");
        await conn.exec("RESET standard_conforming_strings");
        return rows.map((r) => r.v);
      });
      expect(read).toEqual(values);
    }
  });
});

test("sqlLiteral refuses what it cannot write safely, and writes numbers, booleans and null as they are", () => {
  expect(() => sqlLiteral("nul \u0000 byte")).toThrow(TypeError);
  expect(() => sqlLiteral(Number.NaN)).toThrow(TypeError);
  expect(() => sqlLiteral({ a: 1 })).toThrow(TypeError);
  expect([sqlLiteral(1.5), sqlLiteral(true), sqlLiteral(null), sqlLiteral("a\\b")]).toEqual(["1.5", "TRUE", "NULL", "E'a\\\\b'"]);
});
