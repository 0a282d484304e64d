import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DependencyCycleError, loadPackageMigrations, MigrationLoadError, orderPackages, planMigrations, readJournal, type AppliedMigration } from "../src/index.ts";
import { applied, pkg } from "./builders.ts";
import { folderManifest, removeTempDirs, tempDir, writeFolder } from "./fixtures/fixture-packages.ts";

afterAll(removeTempDirs);

/** A folder whose journal holds `entries`. */
function journalFolder(entries: readonly object[]): string {
  const folder = join(tempDir("ydtb-journal-"), "drizzle");
  mkdirSync(join(folder, "meta"), { recursive: true });
  writeFileSync(join(folder, "meta/_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
  return folder;
}

/** What readJournal throws for `entries`: the code, the file and the entry's path at fault. */
function refusal(entries: readonly object[]): [string, boolean, string] {
  const folder = journalFolder(entries);
  let error: unknown;
  try {
    readJournal("@ydtb/fx-journal", folder);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MigrationLoadError);
  const e = error as MigrationLoadError;
  return [e.code, e.file === join(folder, "meta/_journal.json"), e.message.split(": ")[2] ?? ""];
}

describe("readJournal", () => {
  test("entries come back in idx order, with only idx and tag", () => {
    const folder = journalFolder([
      { idx: 2, tag: "0002_c", when: 3, breakpoints: true },
      { idx: 0, tag: "0000_a", when: 1, breakpoints: true },
      { idx: 1, tag: "0001_b", when: 2, breakpoints: true },
    ]);
    expect(readJournal("@ydtb/fx-journal", folder)).toEqual([
      { idx: 0, tag: "0000_a" },
      { idx: 1, tag: "0001_b" },
      { idx: 2, tag: "0002_c" },
    ]);
  });

  test("an empty tag, a negative or fractional idx, and a repeated idx are refused naming the entry", () => {
    expect(refusal([{ idx: 0, tag: "" }])).toEqual(["MIGRATION_LOAD_FAILED", true, "entries.0.tag"]);
    expect(refusal([{ idx: -1, tag: "0000_a" }])).toEqual(["MIGRATION_LOAD_FAILED", true, "entries.0.idx"]);
    expect(refusal([{ idx: 0, tag: "0000_a" }, { idx: 0.5, tag: "0001_b" }])).toEqual(["MIGRATION_LOAD_FAILED", true, "entries.1.idx"]);
    const [code, named, rest] = refusal([{ idx: 1, tag: "0001_b" }, { idx: 1, tag: "0001_c" }]);
    expect([code, named, rest.startsWith(`two entries have idx 1 ("0001_b", "0001_c")`)]).toEqual(["MIGRATION_LOAD_FAILED", true, true]);
  });
});

describe("files that are not JSON", () => {
  const loadError = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(MigrationLoadError);
      return [(error as MigrationLoadError).file, (error as Error).cause instanceof SyntaxError];
    }
    throw new Error("expected a MigrationLoadError");
  };
  test("a journal or a versions file that does not parse is refused naming the file, with the parser's error as cause", () => {
    const folder = journalFolder([]);
    writeFileSync(join(folder, "meta/_journal.json"), "{ entries: [");
    expect(loadError(() => readJournal("@ydtb/fx-journal", folder))).toEqual([join(folder, "meta/_journal.json"), true]);
    const dir = tempDir("ydtb-versions-");
    writeFolder(dir, [{ tag: "0000_a", up: "SELECT 1;" }]);
    writeFileSync(join(dir, "migrations.versions.json"), "{ not json");
    expect(loadError(() => loadPackageMigrations(folderManifest("@ydtb/fx-versions", dir)))).toEqual([join(dir, "migrations.versions.json"), true]);
  });
});

describe("a cycle's path", () => {
  test("a branch of the cycle that leads back to itself is left out of the path", () => {
    // a needs b; b needs c and e; c needs b; e needs a: the cycle through a is a → b → e → a.
    const node = (packageName: string, deps: string[]) => ({ packageName, version: "1.0.0", dependencies: Object.fromEntries(deps.map((d) => [d, "*"])) });
    let error: unknown;
    try {
      orderPackages([node("@ydtb/core", []), node("@ydtb/a", ["@ydtb/b"]), node("@ydtb/b", ["@ydtb/c", "@ydtb/e"]), node("@ydtb/c", ["@ydtb/b"]), node("@ydtb/e", ["@ydtb/a"])]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DependencyCycleError);
    expect((error as DependencyCycleError).path).toEqual(["@ydtb/a", "@ydtb/b", "@ydtb/e", "@ydtb/a"]);
  });
});

describe("a database ahead of the code", () => {
  const core = pkg("@ydtb/core", { migrations: ["0000_core"], released: { "1.0.0": ["0000_core"] } });
  const later = (ids: readonly string[]): AppliedMigration[] => [
    ...applied("@ydtb/core", ["0000_core"]).map((a) => ({ ...a, version: "1.0.0" })),
    { package: "@ydtb/basic", id: "0000_notes", checksum: "sum:0000_notes", version: "1.0.0", order: 2 },
    ...ids.map((id, i) => ({ package: "@ydtb/basic", id, checksum: `sum:${id}`, version: "1.2.0", order: 3 + i })),
  ];
  const code = pkg("@ydtb/basic", { version: "1.0.0", migrations: ["0000_notes", "0001_local"], released: { "1.0.0": ["0000_notes"] } });

  test("one later migration 'was' applied; the pending one of this code is named, and the release to deploy", () => {
    const [conflict] = planMigrations({ packages: [core, code], applied: later(["0001_pinned"]) }).conflicts;
    expect(conflict).toMatchObject({ kind: "database-ahead", package: "@ydtb/basic", id: "0001_local" });
    expect(conflict!.message).toContain("0001_pinned (1.2.0) was applied by a later release");
    expect(conflict!.message).toContain("this code's 0001_local is not applied");
    expect(conflict!.message).toContain(`Deploy 1.2.0 or later of "@ydtb/basic"`);
  });

  test("several later migrations 'were' applied, listed in order", () => {
    const [conflict] = planMigrations({ packages: [core, code], applied: later(["0001_pinned", "0002_tags"]) }).conflicts;
    expect(conflict!.message).toContain("0001_pinned (1.2.0), 0002_tags (1.2.0) were applied by a later release");
  });
});
