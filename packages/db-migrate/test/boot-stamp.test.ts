import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bindManifest } from "@ydtb/db-registry";
import { describeDatabases } from "@ydtb/test-db";
import { DEFAULT_HISTORY_TABLE, DEFAULT_VERSIONS_TABLE, parseStamp, stampTablesOf, type StoredStamp } from "../src/plan/boot-stamp.ts";
import { bootStampAnswer, HISTORY_TABLE, inputsDigest, manifestsDigest, migrate, readBootStamp, stampHolds, stampLayoutOf, stampTables, VERSIONS_TABLE, writeBootStamp, writeFingerprint } from "../src/index.ts";
import { coreManifest, folderManifest, removeTempDirs, tempDir, tsManifest, writeFolder } from "./fixtures/fixture-packages.ts";

afterAll(removeTempDirs);

/** A fingerprinted folder package in a fresh directory: two migrations, each with a down. */
function stampedPackage(name = "@ydtb/fx-stamp", version = "1.0.0") {
  const dir = tempDir("ydtb-stamp-");
  const slug = name.replace(/\W/g, "_");
  writeFolder(dir, [
    { tag: "0000_a", up: `CREATE TABLE ${slug}_a (id int);`, down: `DROP TABLE ${slug}_a;` },
    { tag: "0001_b", up: `CREATE TABLE ${slug}_b (id int);`, down: `DROP TABLE ${slug}_b;` },
  ]);
  const manifest = folderManifest(name, dir, { version });
  writeFingerprint(manifest);
  return { dir, folder: join(dir, "drizzle"), manifest };
}

const answer = { packages: [], versions: [], warnings: [], exempted: [], toolsSynced: true };

describe("boot stamp, pure parts", () => {
  test("the stamp's default table names are the engine's, and the stamp table is named after the history", () => {
    expect([DEFAULT_HISTORY_TABLE, DEFAULT_VERSIONS_TABLE]).toEqual([HISTORY_TABLE, VERSIONS_TABLE]);
    expect(stampTables("fx_hist")).toEqual({ history: "fx_hist", versions: "fx_hist_versions", stamp: "fx_hist_boot_stamp" });
    expect(stampTablesOf()).toEqual({ history: HISTORY_TABLE, versions: VERSIONS_TABLE, stamp: `${HISTORY_TABLE}_boot_stamp` });
  });

  test("the inputs digest changes with every file a boot decides from, and not with the layout's order", () => {
    const a = stampedPackage();
    const b = stampedPackage("@ydtb/fx-other");
    const layout = stampLayoutOf([a.manifest, b.manifest])!;
    const digest = () => inputsDigest(layout);
    const first = digest();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(digest()).toBe(first);
    expect(inputsDigest([...layout].reverse())).toBe(first);
    const seen = new Set([first]);
    const changed = (what: string, edit: () => void) => {
      edit();
      const now = digest();
      expect([what, seen.has(now)]).toEqual([what, false]);
      seen.add(now);
    };
    changed("journal", () => appendFileSync(join(a.folder, "meta/_journal.json"), " "));
    changed("fingerprint", () => appendFileSync(join(a.folder, "meta/_ydtb_fingerprint.json"), " "));
    changed("a file added to the folder", () => writeFileSync(join(a.folder, "notes.txt"), ""));
    changed("package.json appears", () => writeFileSync(join(a.dir, "package.json"), "{}"));
    changed("package.json edited", () => writeFileSync(join(a.dir, "package.json"), `{"version":"1.0.1"}`));
    changed("versions file appears", () => writeFileSync(join(a.dir, "migrations.versions.json"), "{}"));
    changed("versions file edited", () => writeFileSync(join(a.dir, "migrations.versions.json"), `{"1.0.0":[]}`));
    changed("the second package's journal", () => appendFileSync(join(b.folder, "meta/_journal.json"), " "));
    // Bytes already read by this process stand in for the file.
    const withSource = layout.map((p) => (p.name === "@ydtb/fx-stamp" ? { ...p, source: join(a.dir, "manifest.ts") } : p));
    const missing = inputsDigest(withSource);
    const given = inputsDigest(withSource, new Map([[join(a.dir, "manifest.ts"), new TextEncoder().encode("export default 1")]]));
    expect([missing === digest(), given === missing]).toEqual([false, false]);
  });

  test("a stamp holds only when the state it was written for is the current one and the inputs are equal", () => {
    const stamp: StoredStamp = { inputs: "i", manifests: "m", state: "s", current: "s", layout: [], answer: { order: [], ...answer } };
    expect([stampHolds(stamp, "i"), stampHolds({ ...stamp, current: "t" }, "i"), stampHolds(stamp, "j")]).toEqual([true, false, false]);
  });

  test("a stamp row parses, and one without its text columns is no stamp", () => {
    const row = { inputs: "i", manifests: "m", state: "s", current: "c", layout: `[{"name":"x"}]`, answer: `{"order":["x"]}` };
    expect(parseStamp(row)).toEqual({ inputs: "i", manifests: "m", state: "s", current: "c", layout: [{ name: "x" }] as never, answer: { order: ["x"] } as never });
    expect(parseStamp(undefined)).toBeUndefined();
    for (const key of ["inputs", "manifests", "state", "current"]) expect([key, parseStamp({ ...row, [key]: null })]).toEqual([key, undefined]);
  });

  test("the manifests digest follows what the planner reads of them, in any order", () => {
    const a = stampedPackage();
    const b = stampedPackage("@ydtb/fx-other");
    const digest = manifestsDigest([a.manifest, b.manifest]);
    expect(manifestsDigest([b.manifest, a.manifest])).toBe(digest);
    const bumped = bindManifest(Object.freeze({ ...a.manifest, version: "1.0.1" }), { packageDir: a.dir });
    const depends = bindManifest(Object.freeze({ ...a.manifest, dependencies: { "@ydtb/fx-other": "^1.0.0" } }), { packageDir: a.dir });
    expect([manifestsDigest([bumped, b.manifest]) === digest, manifestsDigest([depends, b.manifest]) === digest]).toEqual([false, false]);
  });
});

describeDatabases("boot stamp, written and read", (target) => {
  test("written only for a database with nothing to do; it answers until the history or the inputs change", async () => {
    const db = await target.fresh();
    const { manifest } = stampedPackage();
    const manifests = [coreManifest, manifest];
    expect(await readBootStamp(db)).toBeUndefined();
    const inputs = inputsDigest(stampLayoutOf(manifests)!);
    await migrate(db, [coreManifest], { fingerprints: true });
    // A package with work left: the planner's answer is not "nothing", no stamp.
    expect(await writeBootStamp(db, manifests, answer, { inputs })).toBe(false);
    expect(await readBootStamp(db)).toBeUndefined();
    await migrate(db, manifests);
    expect(await writeBootStamp(db, manifests, answer, { inputs: "stale" })).toBe(false);
    expect(await writeBootStamp(db, manifests, answer, { inputs })).toBe(true);
    expect(await bootStampAnswer(db, manifests, inputs)).toEqual({ ...answer, order: ["@ydtb/core", "@ydtb/fx-stamp"] });
    const stored = (await readBootStamp(db))!;
    expect([stored.state === stored.current, stored.inputs, stored.layout.map((p) => p.name)]).toEqual([true, inputs, ["@ydtb/core", "@ydtb/fx-stamp"]]);
    // Other manifests, or other inputs: no answer.
    const bumped = bindManifest(Object.freeze({ ...manifest, version: "1.0.1" }), { packageDir: manifest.packageDir! });
    expect(await bootStampAnswer(db, [coreManifest, bumped], inputs)).toBeUndefined();
    expect(await bootStampAnswer(db, manifests, "other")).toBeUndefined();
    // The history changes (a rollback): the state digest moves, the stamp no longer holds.
    await migrate(db, manifests, { target: { kind: "steps", steps: 1 } });
    const moved = (await readBootStamp(db))!;
    expect(moved.state === moved.current).toBe(false);
    expect(await bootStampAnswer(db, manifests, inputs)).toBeUndefined();
    expect(await writeBootStamp(db, manifests, answer, { inputs })).toBe(false);
    await migrate(db, manifests);
    expect(await writeBootStamp(db, manifests, answer, { inputs })).toBe(true);
    expect(await bootStampAnswer(db, manifests, inputs)).toEqual({ ...answer, order: ["@ydtb/core", "@ydtb/fx-stamp"] });
  });

  test("no stamp for TypeScript migrations or for a manifest whose package.json says another version", async () => {
    const db = await target.fresh();
    const ts = tsManifest("@ydtb/fx-ts-stamp", []);
    expect(stampLayoutOf([coreManifest, ts])).toBeUndefined();
    const { dir, manifest } = stampedPackage();
    await migrate(db, [coreManifest, manifest]);
    const inputs = () => inputsDigest(stampLayoutOf([coreManifest, manifest])!);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ version: "9.9.9" }));
    expect(await writeBootStamp(db, [coreManifest, manifest], answer, { inputs: inputs() })).toBe(false);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ version: "1.0.0" }));
    expect(await writeBootStamp(db, [coreManifest, manifest], answer, { inputs: inputs() })).toBe(true);
  });
});
