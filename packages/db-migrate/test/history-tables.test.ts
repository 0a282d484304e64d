import { afterAll, describe, expect, test } from "bun:test";
import { describeDatabases } from "@ydtb/test-db";
import { sql } from "drizzle-orm";
import { HISTORY_TABLE, historyTableNames, migrate, migrationStatus, repairChecksums } from "../src/index.ts";
import { recordMigrationSql } from "../src/history/record-migration.ts";
import { coreManifest, removeTempDirs, tsManifest } from "./fixtures/fixture-packages.ts";
import { exists } from "./fixtures/history-queries.ts";

afterAll(removeTempDirs);

const entry = { package: "@ydtb/fx", id: "0000_a", version: "1.0.0", checksum: "abc", ms: 5, appliedBy: "me" } as const;

describe("bookkeeping statements", () => {
  test("table names: a _history name gives its stem's tables, any other name gets suffixes; bad names are refused", () => {
    expect(historyTableNames()).toEqual({ history: "ydtb_schema_history", applied: "ydtb_schema_migrations", versions: "ydtb_schema_versions" });
    expect(historyTableNames("fx_log")).toEqual({ history: "fx_log", applied: "fx_log_migrations", versions: "fx_log_versions" });
    for (const bad of ["Fx_history", "1fx", "fx-history", "x".repeat(52)]) expect(() => historyTableNames(bad)).toThrow(TypeError);
    expect(historyTableNames("x".repeat(51)).history).toBe("x".repeat(51));
  });

  test("each direction writes the history and changes the applied set of its own tables, with the entry's values", () => {
    for (const [names, other] of [[historyTableNames("fx_a_history"), "fx_b"], [historyTableNames("fx_b_history"), "fx_a"]] as const) {
      const text = (direction: "up" | "down" | "repair" | "baseline" | "resolve") => recordMigrationSql(names, { ...entry, direction });
      const stem = names.history.replace(/_history$/, "");
      for (const d of ["up", "down", "repair", "baseline", "resolve"] as const) {
        expect([d, text(d).includes(`"${names.history}"`), text(d).includes(other), text(d).includes(`'${d}'`)]).toEqual([d, true, false, true]);
      }
      expect(text("up")).toStartWith("with");
      expect([text("up"), text("baseline")].map((t) => /insert into "\w+_migrations"/i.test(t) && t.includes(`"${stem}_migrations"`))).toEqual([true, true]);
      expect(/delete from "\w+_migrations"/i.test(text("down"))).toBe(true);
      expect(/update "\w+_migrations" set "checksum"/i.test(text("repair"))).toBe(true);
      expect(text("resolve").includes("_migrations")).toBe(false);
      expect(["'@ydtb/fx'", "'0000_a'", "'1.0.0'", "'abc'", "'me'"].every((v) => text("up").includes(v))).toBe(true);
    }
    const timed = recordMigrationSql(historyTableNames(), { ...entry, direction: "up", ms: "transaction" });
    expect([timed.includes("transaction_timestamp()"), recordMigrationSql(historyTableNames(), { ...entry, direction: "up" }).includes("transaction_timestamp()")]).toEqual([true, false]);
    expect(recordMigrationSql(historyTableNames(), { ...entry, version: null, direction: "up" })).toContain("NULL");
  });
});

describeDatabases("a history table of its own", (target) => {
  test("migrate, status, rollback and repair all use the named tables and leave the default ones alone", async () => {
    const db = await target.fresh();
    const historyTable = "fx_alt_history";
    const pkg = (sum: string, sumB = "b") =>
      tsManifest("@ydtb/fx-alt", [
        { id: "0000_a", up: (d) => d.execute(sql`CREATE TABLE fx_alt_a (id int)`), down: (d) => d.execute(sql`DROP TABLE fx_alt_a`), checksumSource: sum },
        { id: "0001_b", up: (d) => d.execute(sql`CREATE TABLE fx_alt_b (id int)`), down: (d) => d.execute(sql`DROP TABLE fx_alt_b`), checksumSource: sumB },
      ]);
    const first = await migrate(db, [coreManifest, pkg("a")], { historyTable });
    expect(first.applied).toBe(5);
    expect([await exists(db, "fx_alt_history"), await exists(db, "fx_alt_migrations"), await exists(db, "fx_alt_versions"), await exists(db, HISTORY_TABLE)]).toEqual([true, true, true, false]);
    expect((await migrate(db, [coreManifest, pkg("a")], { historyTable })).fastPath).toBe(true);
    const status = await migrationStatus(db, [coreManifest, pkg("a")], { historyTable });
    expect(status.find((p) => p.package === "@ydtb/fx-alt")!.applied).toEqual(["0000_a", "0001_b"]);
    // Both edited: repaired in the order they were applied, each with both checksums.
    const { repaired } = await repairChecksums(db, [coreManifest, pkg("a2", "b2")], { historyTable });
    expect(repaired.map((r) => [r.id, r.previous === r.checksum])).toEqual([["0000_a", false], ["0001_b", false]]);
    expect((await repairChecksums(db, [coreManifest, pkg("a2", "b2")], { historyTable })).repaired).toEqual([]);
    const back = await migrate(db, [coreManifest, pkg("a2", "b2")], { historyTable, target: { kind: "steps", steps: 1 } });
    expect(back.steps.map((s) => `${s.direction} ${s.id} ${s.status}`)).toEqual(["down 0001_b applied"]);
    const rows = await db.query<{ line: string }>(`SELECT migration_id || ' ' || direction AS line FROM fx_alt_history WHERE package = '@ydtb/fx-alt' ORDER BY id`);
    expect(rows.map((r) => r.line)).toEqual(["0000_a up", "0001_b up", "0000_a repair", "0001_b repair", "0001_b down"]);
    expect(await exists(db, HISTORY_TABLE)).toBe(false);
    const again = await migrate(db, [coreManifest, pkg("a2", "b2")], { historyTable });
    expect(again.steps.map((s) => `${s.id} ${s.status}`)).toEqual(["0001_b applied"]);
  });
});
