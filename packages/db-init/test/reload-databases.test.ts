import { afterAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeDatabases } from "@ydtb/test-db";
import { initDatabase, reloadDatabases, type WatchEvent } from "../src/index.ts";
import { copyWorkspace, removeWorkspace } from "./helpers.ts";

const copies: string[] = [];
afterAll(() => copies.forEach(removeWorkspace));

// reloadDatabases on its own (no file watcher): each call is one reload after the given files changed.
describeDatabases("reloadDatabases", (target) => {
  test("nothing changed: no event; a broken manifest: one error and a failed reload, the package kept; fixed: re-registered", async () => {
    const db = await target.fresh();
    const root = copyWorkspace({ packages: ["db-core", "basic"] });
    copies.push(root);
    const { registry } = await initDatabase({ db, rootDir: root, mode: "development" });
    const before = registry.get("@ydtb/basic");
    const registryEvents: string[] = [];
    registry.on("replaced", ({ manifest }) => registryEvents.push(`replaced ${manifest.packageName}`));
    registry.on("unregistered", ({ manifest }) => registryEvents.push(`unregistered ${manifest.packageName}`));
    const reload = async (files: string[]) => {
      const events: WatchEvent[] = [];
      await reloadDatabases({ db, rootDir: root, registry, emit: (e) => events.push(e) }, files);
      return events;
    };

    // A file outside every package, and no manifest differs: nothing to say, nothing replaced.
    expect(await reload([join(root, "README.md")])).toEqual([]);
    expect(registryEvents).toEqual([]);

    const file = join(root, "packages/basic/src/database.ts");
    const good = readFileSync(file, "utf8");
    writeFileSync(file, good.replace("defineDatabase({", "defineDatabase({ ,,"));
    const broken = await reload([file]);
    expect(broken.map((e) => e.kind)).toEqual(["error", "reloaded"]);
    expect(broken[0]).toMatchObject({ kind: "error", phase: "discover", package: "@ydtb/basic", file });
    expect(broken[1]).toEqual({ kind: "reloaded", ok: false, files: [file], packages: [] });
    // Failed to load is not gone: the last good manifest stays registered.
    expect([registry.get("@ydtb/basic"), registryEvents]).toEqual([before, []]);

    // Fixed, saved with another file: a file inside the package makes it reload, though its manifest is as registered.
    writeFileSync(file, good);
    const readme = join(root, "README.md");
    const fixed = await reload([readme, file]);
    // basic has no warnings: no diagnostics event, only the reload's end.
    expect(fixed.map((e) => e.kind)).toEqual(["reloaded"]);
    expect(fixed.at(-1)).toEqual({ kind: "reloaded", ok: true, files: [readme, file], packages: ["@ydtb/basic"] });
    expect(registryEvents).toEqual(["replaced @ydtb/basic"]);
    expect(registry.get("@ydtb/basic")).not.toBe(before);

    // A manifest that differs is reloaded even when no changed file lies in its package (here only the version).
    const pkgFile = join(root, "packages/basic/package.json");
    writeFileSync(pkgFile, readFileSync(pkgFile, "utf8").replace(/"version": "[^"]+"/, `"version": "1.2.0"`));
    const bumped = await reload([]);
    expect(bumped.at(-1)).toEqual({ kind: "reloaded", ok: true, files: [], packages: ["@ydtb/basic"] });
    expect(registry.get("@ydtb/basic")?.version).toBe("1.2.0");
  });

  test("a changed package's warnings are reported on it alone, not another package's", async () => {
    const db = await target.fresh();
    const root = copyWorkspace({ packages: ["db-core", "basic"] });
    copies.push(root);
    const undocument = (file: string, line: string) => writeFileSync(file, readFileSync(file, "utf8").replace(line, ""));
    // core carries a documentation warning from the start; basic gets one in the change.
    undocument(join(root, "packages/db-core/src/database.ts"), `name: "Display name.",`);
    const { registry, report } = await initDatabase({ db, rootDir: root, mode: "development" });
    expect(report.warnings.map((d) => d.package)).toContain("@ydtb/core");
    const file = join(root, "packages/basic/src/database.ts");
    undocument(file, `title: "Headline shown in lists.",`);
    const events: WatchEvent[] = [];
    await reloadDatabases({ db, rootDir: root, registry, emit: (e) => events.push(e) }, [file]);
    const diagnostics = events.filter((e): e is Extract<WatchEvent, { kind: "diagnostics" }> => e.kind === "diagnostics");
    expect(diagnostics.map((e) => [e.package, [...new Set(e.diagnostics.map((d) => d.package))]])).toEqual([["@ydtb/basic", ["@ydtb/basic"]]]);
    expect(events.at(-1)).toEqual({ kind: "reloaded", ok: true, files: [file], packages: ["@ydtb/basic"] });
  });

  test("a validation error refuses the change: the error names the package and phase, the registry and database keep the last good state", async () => {
    const db = await target.fresh();
    const root = copyWorkspace({ packages: ["db-core", "basic"] });
    copies.push(root);
    const { registry } = await initDatabase({ db, rootDir: root, mode: "development" });
    const before = registry.get("@ydtb/basic");
    const schema = join(root, "packages/basic/src/schema.ts");
    writeFileSync(schema, `${readFileSync(schema, "utf8")}\nexport const loose = pgTable("ydtb_basic_loose", { id: text("id").primaryKey() });\n`);
    const events: WatchEvent[] = [];
    await reloadDatabases({ db, rootDir: root, registry, emit: (e) => events.push(e) }, [schema]);
    const error = events.find((e): e is Extract<WatchEvent, { kind: "error" }> => e.kind === "error");
    expect(error).toMatchObject({ phase: "validate", code: "SCHEMA_VALIDATION_FAILED", package: "@ydtb/basic" });
    expect(error!.message).toEndWith(" The app keeps serving the last good state.");
    expect(error!.diagnostics?.some((d) => d.table === "ydtb_basic_loose" && d.severity === "error")).toBe(true);
    expect(events.at(-1)).toEqual({ kind: "reloaded", ok: false, files: [schema], packages: ["@ydtb/basic"] });
    expect(registry.get("@ydtb/basic")).toBe(before!);
    expect(await db.query(`SELECT to_regclass('public.ydtb_basic_loose')::text AS t`)).toEqual([{ t: null }]);
  });
});
