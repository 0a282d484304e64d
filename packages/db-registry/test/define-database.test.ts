import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { bindManifest, defineDatabase, isDatabaseManifest, ManifestError, migrationsFolder, type DatabaseManifest } from "../src/index.ts";
import { input, manifest } from "./builders.ts";

function issuesOf(fn: () => unknown): { code: string; paths: string[] } {
  try {
    fn();
  } catch (error) {
    if (error instanceof ManifestError) return { code: error.code, paths: error.issues.map((i) => i.path) };
    throw error;
  }
  throw new Error("expected a ManifestError");
}

describe("defineDatabase", () => {
  test("returns a frozen, branded manifest with defaults filled in", () => {
    const m = manifest({ dependencies: undefined });
    expect(isDatabaseManifest(m)).toBe(true);
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.dependencies)).toBe(true);
    expect(m.tables).toHaveLength(2);
    expect(m.dependencies).toEqual({});
    expect(m.tools).toEqual([]);
    expect(m.exemptions).toEqual([]);
    expect(() => {
      (m as { version: string }).version = "2.0.0";
    }).toThrow();
  });

  test("accepts a file URL for the migrations folder and TypeScript migrations", () => {
    expect(manifest({ migrations: new URL("file:///tmp/x/drizzle") }).migrations).toBe("/tmp/x/drizzle");
    const ts = manifest({ migrations: [{ id: "0001_init", up: async () => {}, down: async () => {} }] });
    expect(Array.isArray(ts.migrations)).toBe(true);
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ["packageName not scoped", { packageName: "demo" }, ["packageName"]],
    ["packageName not a string", { packageName: 42 }, ["packageName"]],
    ["version not semver", { version: "1.0" }, ["version"]],
    ["schema not an object", { schema: "nope" }, ["schema"]],
    ["schema without a Drizzle object", { schema: { x: 1 } }, ["schema"]],
    ["migrations as a URL that is not a file", { migrations: new URL("http://example.com/drizzle") }, ["migrations"]],
    ["dependencies listed twice", { dependencies: ["@ydtb/a", "@ydtb/a"] }, ["dependencies[1]"]],
    ["a dependency list with a bad name", { dependencies: ["core"] }, ["dependencies[0]"]],
    ["a global table of another package", { globalTables: { ydtb_other_t: "shared" } }, ["globalTables.ydtb_other_t"]],
    ["a global table without a reason", { globalTables: { ydtb_demo_items: " " } }, ["globalTables.ydtb_demo_items"]],
    ["an extension name that is not one", { extensions: ["PG TRGM"] }, ["extensions[0]"]],
    ["a tool id with a space", { tools: [{ id: "my tool", name: "Mine" }] }, ["tools[0].id"]],
    ["migrations of the wrong type", { migrations: 7 }, ["migrations"]],
    ["migrations with an empty path", { migrations: "" }, ["migrations"]],
    ["a migration without up", { migrations: [{ id: "a" }] }, ["migrations[0].up"]],
    ["a migration with a bad id", { migrations: [{ id: "has space", up: () => {} }] }, ["migrations[0].id"]],
    ["duplicate migration ids", { migrations: [{ id: "a", up: () => {} }, { id: "a", up: () => {} }] }, ["migrations[1].id"]],
    ["a migration whose transaction is not boolean", { migrations: [{ id: "a", up: () => {}, transaction: "no" }] }, ["migrations[0].transaction"]],
    ["dependency range not semver", { dependencies: { "@ydtb/x": "^1.x.y" } }, ['dependencies["@ydtb/x"]']],
    ["dependency name not scoped", { dependencies: { core: "^1.0.0" } }, ["dependencies.core"]],
    ["tool id too long", { tools: [{ id: "a".repeat(21), name: "A" }] }, ["tools[0].id"]],
    ["tool without a name", { tools: [{ id: "a" }] }, ["tools[0].name"]],
    ["tool with an empty name", { tools: [{ id: "a", name: "" }] }, ["tools[0].name"]],
    ["an empty column description", { descriptions: { ydtb_demo_items: { description: "x", columns: { count: "" } } } }, ["descriptions.ydtb_demo_items.columns.count"]],
    ["duplicate tool ids", { tools: [{ id: "a", name: "A" }, { id: "a", name: "B" }] }, ["tools[1].id"]],
    ["description of an unknown table", { descriptions: { ydtb_nope: { description: "x" } } }, ["descriptions.ydtb_nope"]],
    ["description of an unknown column", { descriptions: { ydtb_demo_items: { description: "x", columns: { nope: "y" } } } }, ["descriptions.ydtb_demo_items.columns.nope"]],
    ["empty description", { descriptions: { ydtb_demo_items: { description: "" } } }, ["descriptions.ydtb_demo_items.description"]],
    ["exemption without a reason", { exemptions: [{ rule: "naming", table: "ydtb_demo_items" }] }, ["exemptions[0].reason"]],
    ["exemption with a blank reason", { exemptions: [{ rule: "naming", table: "ydtb_demo_items", reason: "  " }] }, ["exemptions[0].reason"]],
    ["unknown field", { tabels: [] }, ["tabels"]],
    ["a lock timeout that is not a duration", { lockTimeout: "soon" }, ["lockTimeout"]],
    ["a negative statement timeout", { statementTimeout: -5 }, ["statementTimeout"]],
    ["a migration lock timeout that is not a duration", { migrations: [{ id: "a", up: () => {}, lockTimeout: "10 seconds" }] }, ["migrations[0].lockTimeout"]],
  ];
  for (const [name, overrides, paths] of cases) {
    test(`rejects ${name}`, () => {
      const result = issuesOf(() => defineDatabase(input(overrides)));
      expect(result.code).toBe("INVALID_MANIFEST");
      expect(result.paths).toEqual(paths);
    });
  }

  test("lock and statement timeouts are read as durations (ms, s, min, or a number of ms)", () => {
    const m = manifest({ lockTimeout: "10s", statementTimeout: "2min" });
    expect([m.lockTimeoutMs, m.statementTimeoutMs]).toEqual([10_000, 120_000]);
    expect(manifest({ lockTimeout: 750 }).lockTimeoutMs).toBe(750);
    expect("lockTimeoutMs" in manifest({})).toBe(false);
  });

  test("lists every problem at once, never only the first", () => {
    const result = issuesOf(() =>
      defineDatabase(
        input({
          packageName: "nope",
          version: "x",
          dependencies: { "@ydtb/x": "^1.x.y", "@ydtb/y": "banana" },
          exemptions: [{ rule: "naming", table: "t" }],
        }),
      ),
    );
    expect(result.paths.sort()).toEqual(['dependencies["@ydtb/x"]', 'dependencies["@ydtb/y"]', "exemptions[0].reason", "packageName", "version"].sort());
  });

  test("the error names the package and quotes the bad value", () => {
    let error: unknown;
    try {
      defineDatabase(input({ dependencies: { "@ydtb/x": "^1.x.y" } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).packageName).toBe("@ydtb/demo");
    expect((error as ManifestError).issues[0]?.message).toContain('"^1.x.y"');
  });

  test("a relative migrations folder resolves from the package folder, and needs one", () => {
    // Defined in test/builders.ts: the package folder is db-registry's, whatever the working directory.
    const m = manifest({ migrations: "./drizzle" });
    expect(m.packageDir).toBe(resolve(import.meta.dir, ".."));
    expect(migrationsFolder(m)).toBe(resolve(import.meta.dir, "../drizzle"));
    const unplaced = { ...m, packageDir: undefined } as DatabaseManifest;
    expect(() => migrationsFolder(unplaced)).toThrow(ManifestError);
    const bound = bindManifest(m, { packageDir: "/repo/packages/demo", source: "/repo/packages/demo/src/database.ts" });
    expect(isDatabaseManifest(bound)).toBe(true);
    expect(migrationsFolder(bound)).toBe("/repo/packages/demo/drizzle");
    expect(bound.source).toBe("/repo/packages/demo/src/database.ts");
  });
});
