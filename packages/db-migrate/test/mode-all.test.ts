import { afterAll, expect, test } from "bun:test";
import { describeDatabases } from "@ydtb/test-db";
import { sql } from "drizzle-orm";
import { migrate, MigrationFailedError, VERSIONS_TABLE } from "../src/index.ts";
import { coreManifest, folderManifest, removeTempDirs, tempDir, tsManifest, writeFolder } from "./fixtures/fixture-packages.ts";
import { appliedIds, exists, historyLines } from "./fixtures/history-queries.ts";

afterAll(removeTempDirs);

async function rejection(promise: Promise<unknown>): Promise<MigrationFailedError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof MigrationFailedError)) throw new Error(`expected a MigrationFailedError, got ${String(outcome)}`);
  return outcome;
}

const create = (id: string, table: string) => ({ id, up: (db: { execute: (q: ReturnType<typeof sql.raw>) => Promise<unknown> }) => db.execute(sql.raw(`CREATE TABLE ${table} (id int)`)), checksumSource: id });

describeDatabases('mode "all": the plan in one transaction', (target) => {
  test("a failing step is the one reported failed, every other skipped; progress says so; only its failed attempt is recorded", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest]);
    const pkg = tsManifest("@ydtb/fx-all", [create("0000_a", "fx_all_a"), { id: "0001_b", up: (d) => d.execute(sql`INSERT INTO fx_all_nope VALUES (1)`), checksumSource: "b" }, create("0002_c", "fx_all_c")]);
    const progress: string[] = [];
    const e = await rejection(migrate(db, [coreManifest, pkg], { mode: "all", onProgress: (p) => progress.push(`${p.index}/${p.total} ${p.id} ${p.status}`) }));
    expect([e.failure.id, e.failure.direction, e.failure.pgCode]).toEqual(["0001_b", "up", "42P01"]);
    expect(e.result!.steps.map((s) => `${s.id} ${s.status}`)).toEqual(["0000_a skipped", "0001_b failed", "0002_c skipped"]);
    expect([e.result!.applied, e.result!.failed, e.result!.skipped]).toEqual([0, 1, 2]);
    expect(e.result!.steps[1]!.error?.failure.id).toBe("0001_b");
    expect(progress).toEqual(["0/3 0000_a running", "0/3 0000_a applied", "1/3 0001_b running", "1/3 0001_b failed"]);
    expect([await exists(db, "fx_all_a"), await appliedIds(db, "@ydtb/fx-all"), await historyLines(db, "@ydtb/fx-all")]).toEqual([false, [], ["0001_b up false"]]);
    expect(await db.query(`SELECT applied_count FROM ${VERSIONS_TABLE} WHERE package = '@ydtb/fx-all'`)).toEqual([{ applied_count: 0 }]);
  });

  test("COMMIT failing (a deferred constraint) keeps nothing and blames the last step, naming COMMIT", async () => {
    const db = await target.fresh();
    const dir = tempDir();
    writeFolder(dir, [
      { tag: "0000_tables", up: "CREATE TABLE fx_alldef_p (id int PRIMARY KEY);\nCREATE TABLE fx_alldef_c (p int REFERENCES fx_alldef_p DEFERRABLE INITIALLY DEFERRED);" },
      { tag: "0001_rows", up: "INSERT INTO fx_alldef_c VALUES (2);" },
      { tag: "0002_more", up: "INSERT INTO fx_alldef_p VALUES (1);" },
    ]);
    const e = await rejection(migrate(db, [coreManifest, folderManifest("@ydtb/fx-alldef", dir)], { mode: "all" }));
    expect([e.failure.id, e.failure.pgCode, e.failure.statement]).toEqual(["0002_more", "23503", undefined]);
    expect(e.failure.pgMessage).toStartWith("COMMIT failed: ");
    expect(e.result!.steps.filter((s) => s.status !== "skipped").map((s) => `${s.package} ${s.id} ${s.status}`)).toEqual(["@ydtb/fx-alldef 0002_more failed"]);
    expect([await exists(db, "fx_alldef_p"), await appliedIds(db, "@ydtb/core"), await historyLines(db, "@ydtb/fx-alldef")]).toEqual([false, [], ["0002_more up false"]]);
  });
});
