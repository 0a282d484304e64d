import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeDatabases } from "@ydtb/test-db";
import { checksumSql, FINGERPRINT_FILE, loadFromFingerprint, loadPackageMigrations, migrate, PlanConflictError, verifyFingerprint, writeFingerprint } from "../src/index.ts";
import { basicManifest, coreManifest, folderManifest, removeTempDirs, tempDir, writeFolder } from "./fixtures/fixture-packages.ts";

const NAME = "@ydtb/fx-fp";

/** A package folder of two migrations with its fingerprint written; returns its manifest and folder. */
function fingerprinted(versions?: Record<string, readonly string[]>) {
  const dir = tempDir();
  const folder = writeFolder(
    dir,
    [
      { tag: "0000_a", up: "CREATE TABLE fx_fp_a (id int);", down: "DROP TABLE fx_fp_a;" },
      { tag: "0001_b", up: "CREATE TABLE fx_fp_b (id int);" },
    ],
    versions,
  );
  const manifest = folderManifest(NAME, dir);
  writeFingerprint(manifest);
  return { dir, folder, manifest };
}

/** Adds a third migration as drizzle-kit would (file + journal entry), without touching the fingerprint. */
function addMigration(folder: string, tag: string, up: string): void {
  writeFileSync(join(folder, `${tag}.sql`), up);
  const journalFile = join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number; tag: string }[] };
  journal.entries.push({ idx: journal.entries.length, tag });
  writeFileSync(journalFile, JSON.stringify(journal, null, 2));
}

afterAll(removeTempDirs);

describe("migrations fingerprint (no database)", () => {
  test("the repository's drizzle folders carry current fingerprints (CI fails here on a migration edited without `ydtb-db fingerprint`)", () => {
    expect([coreManifest, basicManifest].map((m) => [m.packageName, verifyFingerprint(m).status])).toEqual([
      ["@ydtb/core", "current"],
      ["@ydtb/basic", "current"],
    ]);
  });

  test("a written fingerprint is current and stands in for the files: same ids, checksums, versions; bodies read on demand", () => {
    const { manifest } = fingerprinted({ "1.0.0": ["0000_a"] });
    expect(verifyFingerprint(manifest)).toMatchObject({ status: "current", changed: [] });
    const full = loadPackageMigrations(manifest);
    const fast = loadFromFingerprint(manifest)!;
    expect(fast).toBeDefined();
    const rows = (p: typeof full) => p.migrations.map((m) => [m.id, m.index, m.checksum, m.version]);
    expect(rows(fast)).toEqual(rows(full));
    expect([fast.releasedVersions, fast.dependencies]).toEqual([full.releasedVersions, full.dependencies]);
    expect(fast.migrations[0]!.up).toEqual(full.migrations[0]!.up);
    expect(fast.migrations[0]!.down).toEqual(full.migrations[0]!.down);
  });

  test("an up file edited after the fingerprint: validate's check says stale and names it (a no-op boot does not read it: the trade)", () => {
    const { folder, manifest } = fingerprinted();
    appendFileSync(join(folder, "0001_b.sql"), "\nALTER TABLE fx_fp_b ADD COLUMN x int;");
    expect(verifyFingerprint(manifest)).toMatchObject({ status: "stale", changed: ["0001_b"] });
    expect(loadFromFingerprint(manifest)?.migrations[1]!.checksum).toBe(checksumSql("CREATE TABLE fx_fp_b (id int);"));
    writeFingerprint(manifest);
    expect(verifyFingerprint(manifest).status).toBe("current");
  });

  test("a down file edited is not a change (downs are outside checksums)", () => {
    const { folder, manifest } = fingerprinted();
    appendFileSync(join(folder, "0000_a.down.sql"), "\n-- fixed");
    expect(verifyFingerprint(manifest).status).toBe("current");
  });

  test("a fingerprint that does not match the journal, the versions file or the folder is not used (the boot reads the files)", () => {
    const journal = fingerprinted();
    addMigration(journal.folder, "0002_c", "CREATE TABLE fx_fp_c (id int);");
    expect(loadFromFingerprint(journal.manifest)).toBeUndefined();
    expect(verifyFingerprint(journal.manifest)).toMatchObject({ status: "stale", changed: [] });

    const versions = fingerprinted({ "1.0.0": ["0000_a"] });
    writeFileSync(join(versions.dir, "migrations.versions.json"), JSON.stringify({ "1.0.0": ["0000_a", "0001_b"] }));
    expect(loadFromFingerprint(versions.manifest)).toBeUndefined();
    expect(verifyFingerprint(versions.manifest).status).toBe("stale");

    const orphan = fingerprinted();
    writeFileSync(join(orphan.folder, "0009_hand_written.sql"), "SELECT 1;");
    expect(loadFromFingerprint(orphan.manifest)).toBeUndefined();
    const strayDown = fingerprinted();
    writeFileSync(join(strayDown.folder, "0009_gone.down.sql"), "SELECT 1;");
    expect(loadFromFingerprint(strayDown.manifest)).toBeUndefined();

    const damaged = fingerprinted();
    writeFileSync(join(damaged.folder, FINGERPRINT_FILE), "{ not json");
    expect(loadFromFingerprint(damaged.manifest)).toBeUndefined();
    expect(verifyFingerprint(damaged.manifest).status).toBe("missing");
  });

  test("a package without a fingerprint is read in full, and verify says missing", () => {
    const dir = tempDir();
    writeFolder(dir, [{ tag: "0000_a", up: "SELECT 1;" }]);
    const manifest = folderManifest(NAME, dir);
    expect(loadFromFingerprint(manifest)).toBeUndefined();
    expect(verifyFingerprint(manifest).status).toBe("missing");
  });
});

describeDatabases("migrate with fingerprints", (target) => {
  test("a new migration beside a stale fingerprint: the boot reads every file, applies it and refuses an edited applied one", async () => {
    const db = await target.fresh();
    const { folder, manifest } = fingerprinted();
    const first = await migrate(db, [coreManifest, manifest]);
    expect(first.applied).toBeGreaterThanOrEqual(2);

    // Edited in place, fingerprint not regenerated: the no-op trusts the fingerprint (documented trade)…
    appendFileSync(join(folder, "0000_a.sql"), "\nALTER TABLE fx_fp_a ADD COLUMN x int;");
    expect(await migrate(db, [coreManifest, manifest])).toMatchObject({ fastPath: true, applied: 0 });
    // …a run that reads the files refuses it…
    const refused = await migrate(db, [coreManifest, manifest], { fingerprints: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PlanConflictError);
    expect((refused as PlanConflictError).conflicts.map((c) => [c.kind, c.id])).toEqual([["checksum-mismatch", "0000_a"]]);

    // …and so does the next boot with work to do, even work in another package, its fingerprint current.
    const other = tempDir();
    const otherFolder = writeFolder(other, [{ tag: "0000_x", up: "CREATE TABLE fx_fp_x (id int);" }]);
    const otherManifest = folderManifest("@ydtb/fx-fp-other", other);
    writeFingerprint(otherManifest);
    await migrate(db, [coreManifest, otherManifest]);
    addMigration(otherFolder, "0001_y", "CREATE TABLE fx_fp_y (id int);");
    writeFingerprint(otherManifest);
    const withWork = await migrate(db, [coreManifest, manifest, otherManifest]).catch((e: unknown) => e);
    expect(withWork).toBeInstanceOf(PlanConflictError);
    expect((withWork as PlanConflictError).conflicts.map((c) => [c.kind, c.package, c.id])).toEqual([["checksum-mismatch", NAME, "0000_a"]]);
    expect(await db.query(`SELECT to_regclass('fx_fp_y') IS NULL AS none`)).toEqual([{ none: true }]);
  });

  test("a fingerprint rewritten over an edited applied migration disagrees with the database: the boot reads the files and refuses", async () => {
    const db = await target.fresh();
    const { folder, manifest } = fingerprinted();
    await migrate(db, [coreManifest, manifest]);
    writeFileSync(join(folder, "0001_b.sql"), "CREATE TABLE fx_fp_b (id bigint);");
    writeFingerprint(manifest);
    const e = await migrate(db, [coreManifest, manifest]).catch((error: unknown) => error);
    expect(e).toBeInstanceOf(PlanConflictError);
    expect((e as PlanConflictError).conflicts.map((c) => [c.kind, c.id])).toEqual([["checksum-mismatch", "0001_b"]]);
  });

  test("a current fingerprint and a new migration written with it: applied from the files, then a no-op", async () => {
    const db = await target.fresh();
    const { folder, manifest } = fingerprinted();
    await migrate(db, [coreManifest, manifest]);
    addMigration(folder, "0002_c", "CREATE TABLE fx_fp_c (id int);");
    writeFingerprint(manifest);
    expect(await migrate(db, [coreManifest, manifest])).toMatchObject({ applied: 1, fastPath: false });
    expect(await migrate(db, [coreManifest, manifest])).toMatchObject({ applied: 0, fastPath: true });
  });
});
