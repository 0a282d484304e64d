import { afterAll, expect, test } from "bun:test";
import { describeDatabases } from "@ydtb/test-db";
import { integer, pgTable } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { BaselineMismatchError, baselineToVersion, HISTORY_TABLE, migrate, repairChecksums, VERSIONS_TABLE } from "../src/index.ts";
import { coreManifest, folderManifest, removeTempDirs, tempDir, tsManifest, writeFolder } from "./fixtures/fixture-packages.ts";
import { appliedIds, historyLines } from "./fixtures/history-queries.ts";

afterAll(removeTempDirs);

// 1.0.0 made fx_bl_a, 1.1.0 made fx_bl_b, and 0002_c is not released yet; the schema declares both tables.
function package_(version = "1.1.0") {
  const dir = tempDir("ydtb-baseline-");
  writeFolder(
    dir,
    [
      { tag: "0000_a", up: "CREATE TABLE fx_bl_a (id int);" },
      { tag: "0001_b", up: "CREATE TABLE fx_bl_b (id int);" },
      { tag: "0002_c", up: "ALTER TABLE fx_bl_b ADD COLUMN c int;" },
    ],
    { "1.0.0": ["0000_a"], "1.1.0": ["0001_b"] },
  );
  const schema = { a: pgTable("fx_bl_a", { id: integer("id") }), b: pgTable("fx_bl_b", { id: integer("id") }) };
  return folderManifest("@ydtb/fx-bl", dir, { version, schema });
}

describeDatabases("baseline --to, edges", (target) => {
  test("an earlier version needs only what it made: tables of later migrations may be missing; the rest is left to migrate", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest]);
    await db.exec("CREATE TABLE fx_bl_a (id int)");
    const manifests = [coreManifest, package_()];
    const dry = await baselineToVersion(db, manifests, { package: "@ydtb/fx-bl", version: "1.0.0" }, { dryRun: true });
    expect([dry.dryRun, dry.adopted.map((a) => a.id), await appliedIds(db, "@ydtb/fx-bl")]).toEqual([true, ["0000_a"], []]);
    const done = await baselineToVersion(db, manifests, { package: "@ydtb/fx-bl", version: "1.0.0" });
    expect([done.dryRun, done.adopted.map((a) => a.id), done.alreadyApplied]).toEqual([false, ["0000_a"], []]);
    expect([await appliedIds(db, "@ydtb/fx-bl"), await historyLines(db, "@ydtb/fx-bl")]).toEqual([["0000_a"], ["0000_a baseline true"]]);
    expect(await db.query(`SELECT schema_version, applied_count FROM ${VERSIONS_TABLE} WHERE package = '@ydtb/fx-bl'`)).toEqual([{ schema_version: "1.0.0", applied_count: 1 }]);
    const again = await baselineToVersion(db, manifests, { package: "@ydtb/fx-bl", version: "1.0.0" });
    expect([again.adopted, again.alreadyApplied.map((a) => a.id)]).toEqual([[], ["0000_a"]]);
    const run = await migrate(db, manifests);
    expect(run.steps.map((s) => `${s.id} ${s.status}`)).toEqual(["0001_b applied", "0002_c applied"]);
  });

  test("the code's version takes unreleased migrations too, and then every declared table must exist", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest]);
    await db.exec("CREATE TABLE fx_bl_a (id int)");
    // 1.1.0 is the code's version: 0002_c (unreleased) is part of it, so the whole package is checked.
    const refused = await baselineToVersion(db, [coreManifest, package_()], { package: "@ydtb/fx-bl", version: "1.1.0" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BaselineMismatchError);
    expect((refused as BaselineMismatchError).mismatches.map((m) => [m.kind, m.package, m.message.includes(`"fx_bl_b"`)])).toEqual([["missing-table", "@ydtb/fx-bl", true]]);
    expect(await appliedIds(db, "@ydtb/fx-bl")).toEqual([]);
    await db.exec("CREATE TABLE fx_bl_b (id int, c int)");
    const done = await baselineToVersion(db, [coreManifest, package_()], { package: "@ydtb/fx-bl", version: "1.1.0" });
    expect(done.adopted.map((a) => a.id)).toEqual(["0000_a", "0001_b", "0002_c"]);
    // A code version above the last release: 1.1.0 stops at the release, unreleased stay pending.
    const db2 = await target.fresh();
    await migrate(db2, [coreManifest]);
    await db2.exec("CREATE TABLE fx_bl_a (id int); CREATE TABLE fx_bl_b (id int)");
    const partial = await baselineToVersion(db2, [coreManifest, package_("1.2.0")], { package: "@ydtb/fx-bl", version: "1.1.0" });
    expect(partial.adopted.map((a) => a.id)).toEqual(["0000_a", "0001_b"]);
  });

  test("a history write refused during baseline or repair fails the command, and nothing of it is kept", async () => {
    const db = await target.fresh();
    const ts = (sum: string) => tsManifest("@ydtb/fx-blr", [{ id: "0000_a", up: (d) => d.execute(sql`SELECT 1`), checksumSource: sum }]);
    await migrate(db, [coreManifest, ts("v1")]);
    await db.exec("CREATE TABLE fx_bl_a (id int)");
    await db.exec(`CREATE FUNCTION fx_bl_refuse() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN
      IF NEW.direction IN ('baseline', 'repair') THEN RAISE EXCEPTION 'bookkeeping refused'; END IF; RETURN NEW; END $f$;
      CREATE TRIGGER fx_bl_refuse BEFORE INSERT ON ${HISTORY_TABLE} FOR EACH ROW EXECUTE FUNCTION fx_bl_refuse();`);
    const versions = () => db.query(`SELECT package, applied_count, digest FROM ${VERSIONS_TABLE} ORDER BY package`);
    const before = await versions();
    const baseline = await baselineToVersion(db, [coreManifest, ts("v1"), package_()], { package: "@ydtb/fx-bl", version: "1.0.0" }).catch((e: unknown) => e);
    expect((baseline as Error).message).toContain("bookkeeping refused");
    const repair = await repairChecksums(db, [coreManifest, ts("v2")]).catch((e: unknown) => e);
    expect((repair as Error).message).toContain("bookkeeping refused");
    expect([await appliedIds(db, "@ydtb/fx-bl"), await historyLines(db, "@ydtb/fx-bl"), await historyLines(db, "@ydtb/fx-blr")]).toEqual([[], [], ["0000_a up true"]]);
    expect(await versions()).toEqual(before);
  });
});
