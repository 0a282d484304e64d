import { afterAll, expect, test } from "bun:test";
import type { SqlSession } from "@ydtb/db-client";
import { describeDatabases } from "@ydtb/test-db";
import { sql } from "drizzle-orm";
import { DatabaseAheadError, migrate, migrationStatus, VERSIONS_TABLE } from "../src/index.ts";
import { coreManifest, folderManifest, removeTempDirs, tempDir, tsManifest, writeFolder } from "./fixtures/fixture-packages.ts";
import { appliedIds, historyLines } from "./fixtures/history-queries.ts";

afterAll(removeTempDirs);

// @ydtb/fx-ahead 1.1.0 added 0001_b; the previous release (1.0.0, without that file) boots
// against the database 1.1.0 migrated, as in a rolling deploy.
function release(version: "1.0.0" | "1.1.0") {
  const dir = tempDir("ydtb-ahead-");
  const entries = [{ tag: "0000_a", up: "CREATE TABLE fx_ahead_a (id int);", down: "DROP TABLE fx_ahead_a;" }];
  if (version === "1.1.0") entries.push({ tag: "0001_b", up: "CREATE TABLE fx_ahead_b (id int);", down: "DROP TABLE fx_ahead_b;" });
  writeFolder(dir, entries, version === "1.1.0" ? { "1.0.0": ["0000_a"], "1.1.0": ["0001_b"] } : { "1.0.0": ["0000_a"] });
  return folderManifest("@ydtb/fx-ahead", dir, { version });
}

/** A dependent of fx-ahead accepting `range`, with one TypeScript migration creating `table`. */
const dependent = (name: string, range: string, table: string) =>
  tsManifest(name, [{ id: "0000_t", up: (db) => db.execute(sql.raw(`CREATE TABLE ${table} (id int)`)), down: (db) => db.execute(sql.raw(`DROP TABLE ${table}`)), checksumSource: table }], {
    dependencies: { "@ydtb/fx-ahead": range },
  });

async function versionRow(db: SqlSession, pkg: string) {
  return db.query(`SELECT schema_version, code_version, applied_count FROM ${VERSIONS_TABLE} WHERE package = $1`, [pkg]);
}

describeDatabases("a database ahead of the code", (target) => {
  test("the older release runs behind: the later release's versions row is kept, its dependents wait or migrate by their range", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest, release("1.1.0")]);
    const held = dependent("@ydtb/fx-held", "~1.0.0", "fx_held");
    const open = dependent("@ydtb/fx-open", "^1.0.0", "fx_open");
    const result = await migrate(db, [coreManifest, release("1.0.0"), held, open]);
    expect(result.plan.ahead.map((a) => [a.package, a.codeVersion, a.databaseVersion])).toEqual([["@ydtb/fx-ahead", "1.0.0", "1.1.0"]]);
    expect(result.plan.heldBack.map((h) => [h.package, h.dependency, h.range, h.databaseVersion])).toEqual([["@ydtb/fx-held", "@ydtb/fx-ahead", "~1.0.0", "1.1.0"]]);
    expect(result.steps.map((s) => `${s.package} ${s.id} ${s.status}`)).toEqual(["@ydtb/fx-open 0000_t applied"]);
    expect(result.versions.find((v) => v.package === "@ydtb/fx-ahead")).toEqual({ package: "@ydtb/fx-ahead", codeVersion: "1.0.0", databaseVersion: "1.1.0", appliedCount: 2 });
    // The later release's row stays as it wrote it; this code's packages get theirs.
    expect(await versionRow(db, "@ydtb/fx-ahead")).toEqual([{ schema_version: "1.1.0", code_version: "1.1.0", applied_count: 2 }]);
    expect(await versionRow(db, "@ydtb/fx-open")).toEqual([{ schema_version: null, code_version: "1.0.0", applied_count: 1 }]);
    expect(await versionRow(db, "@ydtb/fx-held")).toEqual([{ schema_version: null, code_version: "1.0.0", applied_count: 0 }]);
    expect([await appliedIds(db, "@ydtb/fx-ahead"), await appliedIds(db, "@ydtb/fx-held")]).toEqual([["0000_a", "0001_b"], []]);

    // Status says the same: the database's version is the later release's, and what it lacks.
    const status = await migrationStatus(db, [coreManifest, release("1.0.0"), held, open]);
    const [ahead] = status.filter((p) => p.package === "@ydtb/fx-ahead");
    expect({ ...ahead!, lastAppliedAt: ahead!.lastAppliedAt instanceof Date }).toEqual({
      package: "@ydtb/fx-ahead",
      codeVersion: "1.0.0",
      databaseVersion: "1.1.0",
      applied: ["0000_a", "0001_b"],
      pending: [],
      missing: ["0001_b"],
      notInCode: [{ id: "0001_b", version: "1.1.0" }],
      ahead: true,
      changed: [],
      lastAppliedAt: true,
    });
    expect(status.map((p) => [p.package, p.pending, p.ahead])).toEqual([
      ["@ydtb/core", [], false],
      ["@ydtb/fx-ahead", [], true],
      ["@ydtb/fx-held", ["0000_t"], false],
      ["@ydtb/fx-open", [], false],
    ]);

    // Strict versions refuse the same boot before anything runs.
    const other = dependent("@ydtb/fx-later", "^1.0.0", "fx_later");
    const refused = await migrate(db, [coreManifest, release("1.0.0"), other], { strictVersions: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DatabaseAheadError);
    expect([(refused as DatabaseAheadError).code, (refused as DatabaseAheadError).ahead.map((a) => a.package)]).toEqual(["DATABASE_AHEAD", ["@ydtb/fx-ahead"]]);
    expect([await historyLines(db, "@ydtb/fx-later"), await versionRow(db, "@ydtb/fx-later")]).toEqual([[], []]);

    // The later release boots again: nothing ahead, nothing to do.
    const next = await migrate(db, [coreManifest, release("1.1.0"), open]);
    expect([next.steps, next.plan.ahead]).toEqual([[], []]);
  });

  test("a dry run plans, reports the versions as they are, and changes nothing", async () => {
    const db = await target.fresh();
    await migrate(db, [coreManifest, release("1.0.0")]);
    const before = await db.query(`SELECT * FROM ${VERSIONS_TABLE} ORDER BY package`);
    const dry = await migrate(db, [coreManifest, release("1.1.0")], { dryRun: true });
    expect(dry.steps.map((s) => `${s.id} ${s.status}`)).toEqual(["0001_b skipped"]);
    expect([dry.dryRun, dry.applied, dry.skipped, dry.fastPath]).toEqual([true, 0, 1, false]);
    expect(dry.versions.find((v) => v.package === "@ydtb/fx-ahead")).toEqual({ package: "@ydtb/fx-ahead", codeVersion: "1.1.0", databaseVersion: "1.0.0", appliedCount: 1 });
    expect(await db.query(`SELECT * FROM ${VERSIONS_TABLE} ORDER BY package`)).toEqual(before);
    expect(await historyLines(db, "@ydtb/fx-ahead")).toEqual(["0000_a up true"]);
    const run = await migrate(db, [coreManifest, release("1.1.0")]);
    expect([run.applied, run.versions.find((v) => v.package === "@ydtb/fx-ahead")?.databaseVersion]).toEqual([1, "1.1.0"]);
  });
});
