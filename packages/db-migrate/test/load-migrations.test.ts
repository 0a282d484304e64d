import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import {
  attributeAll,
  attributeMigrations,
  checksumSql,
  checksumTypeScript,
  loadMigrations,
  loadPackageMigrations,
  MigrationLoadError,
  VersionAttributionError,
} from "../src/index.ts";
import { basicManifest, coreManifest, folderManifest, removeTempDirs, tempDir, tsManifest, writeFolder } from "./fixtures/fixture-packages.ts";

afterAll(removeTempDirs);

describe("loadMigrations", () => {
  test("reads a drizzle-kit folder in journal order, split on breakpoints, with .down.sql files and released versions", () => {
    const [core, basic] = loadMigrations([coreManifest, basicManifest]);
    expect(core!.migrations.map((m) => m.id)).toEqual(["0000_core", "0001_tools_phase2", "0002_workspace_rls"]);
    const first = core!.migrations[0]!;
    const text = readFileSync(join(coreManifest.packageDir!, "drizzle/0000_core.sql"), "utf8");
    expect(first.up).toMatchObject({ kind: "sql", text, transaction: true });
    expect(first.down?.kind).toBe("sql");
    expect(first.version).toBe("1.0.0");
    expect(first.checksum).toBe(checksumSql(text));
    expect(basic!.migrations.map((m) => [m.id, m.version])).toEqual([["0000_notes", "1.0.0"], ["0001_pinned", "1.1.0"], ["0002_workspace_rls", null]]);
    expect(basic!.dependencies).toEqual({ "@ydtb/core": "^1.0.0" });
    expect(basic!.releasedVersions).toEqual(["1.0.0", "1.1.0"]);
  });

  test("the checksum ignores line endings, trailing spaces and blank edges, and not the down file", () => {
    const base = "CREATE TABLE a (\n  id int\n);\n--> statement-breakpoint\nCREATE INDEX i ON a (id);";
    expect(checksumSql(`\n\n${base.replace(/\n/g, "  \r\n")}\r\n\r\n`)).toBe(checksumSql(base));
    expect(checksumSql(base.replace("id int", "id bigint"))).not.toBe(checksumSql(base));
    const dir = tempDir();
    writeFolder(dir, [{ tag: "0000_a", up: base }]);
    const before = loadPackageMigrations(folderManifest("@ydtb/fx-a", dir)).migrations[0]!.checksum;
    writeFolder(dir, [{ tag: "0000_a", up: base, down: "DROP TABLE a;" }]);
    const after = loadPackageMigrations(folderManifest("@ydtb/fx-a", dir)).migrations[0]!;
    expect(after.down).toEqual({ kind: "sql", file: join(dir, "drizzle/0000_a.down.sql"), text: "DROP TABLE a;", transaction: true });
    expect(after.checksum).toBe(before);
  });

  test("the checksum is of the file as read (a BOM included, as earlier versions recorded it); what runs drops only the BOM", () => {
    const dir = tempDir();
    const raw = "\uFEFFCREATE TABLE a (id int);\r\n";
    writeFolder(dir, [{ tag: "0000_a", up: raw }]);
    const m = loadPackageMigrations(folderManifest("@ydtb/fx-a", dir)).migrations[0]!;
    expect(m.checksum).toBe(checksumSql(raw));
    expect(m.checksum === checksumSql(raw.slice(1))).toBe(false);
    expect(m.up).toMatchObject({ kind: "sql", text: "CREATE TABLE a (id int);\r\n", transaction: true });
  });

  test("TypeScript migrations: checksum of checksumSource, else of up's source", () => {
    const up = async () => {};
    expect(checksumTypeScript({ up, checksumSource: "v1" })).toBe(checksumTypeScript({ up: async () => 1, checksumSource: "v1" }));
    expect(checksumTypeScript({ up, checksumSource: "v1" })).not.toBe(checksumTypeScript({ up, checksumSource: "v2" }));
    expect(checksumTypeScript({ up: async () => 1 })).not.toBe(checksumTypeScript({ up: async () => 2 }));
    const loaded = loadPackageMigrations(tsManifest("@ydtb/fx-ts", [{ id: "0000_a", up: (db) => db.execute(sql`SELECT 1`), transaction: false }]));
    expect(loaded.migrations[0]).toMatchObject({ id: "0000_a", version: null, up: { kind: "typescript", transaction: false } });
  });

  test("a folder without a journal, or a journal entry without its file, names the file and the fix", () => {
    const dir = tempDir();
    expect(() => loadPackageMigrations(folderManifest("@ydtb/fx-a", dir))).toThrow(MigrationLoadError);
    writeFolder(dir, [{ tag: "0000_a", up: "SELECT 1" }]);
    const journal = join(dir, "drizzle/meta/_journal.json");
    const j = JSON.parse(readFileSync(journal, "utf8"));
    j.entries.push({ idx: 1, version: "7", when: 1, tag: "0001_missing", breakpoints: true });
    writeFileSync(journal, JSON.stringify(j));
    try {
      loadPackageMigrations(folderManifest("@ydtb/fx-a", dir));
      throw new Error("expected a refusal");
    } catch (error) {
      expect((error as MigrationLoadError).code).toBe("MIGRATION_LOAD_FAILED");
      expect((error as MigrationLoadError).file).toEndWith("0001_missing.sql");
    }
  });

  test("journal entries listed out of idx order are loaded in idx order", () => {
    const dir = tempDir();
    writeFolder(dir, [{ tag: "0000_a", up: "SELECT 1" }, { tag: "0001_b", up: "SELECT 2" }, { tag: "0002_c", up: "SELECT 3" }]);
    const journal = join(dir, "drizzle/meta/_journal.json");
    const j = JSON.parse(readFileSync(journal, "utf8"));
    j.entries = [j.entries[2], j.entries[0], j.entries[1]];
    writeFileSync(journal, JSON.stringify(j));
    expect(loadPackageMigrations(folderManifest("@ydtb/fx-a", dir)).migrations.map((m) => [m.index, m.id])).toEqual([[0, "0000_a"], [1, "0001_b"], [2, "0002_c"]]);
  });

  test("a malformed journal or versions file is refused naming the file", () => {
    const dir = tempDir();
    writeFolder(dir, [{ tag: "0000_a", up: "SELECT 1" }]);
    const journal = join(dir, "drizzle/meta/_journal.json");
    const bad = [{ entries: [{ idx: "0", tag: "0000_a" }] }, { entries: [{ idx: 0 }] }, { nope: [] }, { entries: [{ idx: 0, tag: "0000_a" }, { idx: 0, tag: "0001_b" }] }];
    for (const content of bad) {
      writeFileSync(journal, JSON.stringify(content));
      let error: unknown;
      try {
        loadPackageMigrations(folderManifest("@ydtb/fx-a", dir));
      } catch (e) {
        error = e;
      }
      expect([JSON.stringify(content), (error as MigrationLoadError)?.code, (error as MigrationLoadError)?.file]).toEqual([JSON.stringify(content), "MIGRATION_LOAD_FAILED", journal]);
    }
    writeFolder(dir, [{ tag: "0000_a", up: "SELECT 1" }], { "1.0.0": ["0000_a"] });
    for (const versions of [["0000_a"], { "one": ["0000_a"] }, { "1.0.0": "0000_a" }, { "1.0.0": ["0000_a"], "1.1.0": ["0000_a"] }]) {
      writeFileSync(join(dir, "migrations.versions.json"), JSON.stringify(versions));
      expect(() => loadPackageMigrations(folderManifest("@ydtb/fx-a", dir))).toThrow(VersionAttributionError);
    }
  });

  test("versions must hold a prefix of the migrations", () => {
    const dir = tempDir();
    writeFolder(dir, [{ tag: "0000_a", up: "SELECT 1" }, { tag: "0001_b", up: "SELECT 2" }], { "1.0.0": ["0001_b"] });
    expect(() => loadPackageMigrations(folderManifest("@ydtb/fx-a", dir))).toThrow(VersionAttributionError);
  });
});

describe("attributeMigrations", () => {
  test("attributes unattributed migrations to a bumped version, and refuses an unbumped one", () => {
    const dir = tempDir();
    writeFolder(dir, [{ tag: "0000_a", up: "SELECT 1" }, { tag: "0001_b", up: "SELECT 2" }]);
    const first = attributeMigrations(folderManifest("@ydtb/fx-a", dir, { version: "1.0.0" }));
    expect([first.written, first.attributed]).toEqual([true, ["0000_a", "0001_b"]]);
    expect(JSON.parse(readFileSync(join(dir, "migrations.versions.json"), "utf8"))).toEqual({ "1.0.0": ["0000_a", "0001_b"] });

    writeFolder(dir, [{ tag: "0000_a", up: "SELECT 1" }, { tag: "0001_b", up: "SELECT 2" }, { tag: "0002_c", up: "SELECT 3" }]);
    const unbumped = attributeMigrations(folderManifest("@ydtb/fx-a", dir, { version: "1.0.0" }));
    expect([unbumped.written, unbumped.attributed]).toEqual([false, []]);
    expect(unbumped.message).toContain("not been bumped");
    expect(loadPackageMigrations(folderManifest("@ydtb/fx-a", dir)).migrations.map((m) => m.version)).toEqual(["1.0.0", "1.0.0", null]);

    const [bumped] = attributeAll([folderManifest("@ydtb/fx-a", dir, { version: "1.1.0" })]);
    expect([bumped!.written, bumped!.attributed]).toEqual([true, ["0002_c"]]);
    expect(JSON.parse(readFileSync(join(dir, "migrations.versions.json"), "utf8"))).toEqual({ "1.0.0": ["0000_a", "0001_b"], "1.1.0": ["0002_c"] });
    expect(attributeMigrations(folderManifest("@ydtb/fx-a", dir, { version: "1.1.0" })).written).toBe(false);
  });

  test("a package without a folder has everything unattributed and writes nothing", () => {
    const r = attributeMigrations(tsManifest("@ydtb/fx-ts", [{ id: "0000_a", up: async () => {} }]));
    expect(r.written).toBe(false);
  });
});
