import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createRegistry,
  defineDatabase,
  isGlobalTable,
  ManifestError,
  migrationsFolder,
  ToolConflictError,
  workspaceTables,
  type DatabaseManifest,
} from "../src/index.ts";
import { input, manifest, schemaFor } from "./builders.ts";
import { pgTable, text } from "drizzle-orm/pg-core";

function manifestError(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error("expected a ManifestError, nothing was thrown");
}

describe("the registration snippet users read first", () => {
  const m1 = { id: "0001_init", up: async () => {}, down: async () => {} };
  const m2 = { id: "0002_more", up: async () => {} };

  test("a plain object is checked like defineDatabase input and registered", () => {
    const registry = createRegistry();
    const schema = schemaFor("plain");
    const { manifest: registered } = registry.registerDatabase({ packageName: "@ydtb/plain", schema, migrations: [m1, m2], dependencies: [], version: "1.0.0" });
    expect(registry.get("@ydtb/plain")).toBe(registered);
    expect(registered.dependencies).toEqual({});
    expect((registered.migrations as readonly { id: string }[]).map((m) => m.id)).toEqual(["0001_init", "0002_more"]);
    expect(registry.ownerOf("ydtb_plain_items")).toBe("@ydtb/plain");
  });

  test("dependencies as a list of names means any version of each", () => {
    expect(manifest({ dependencies: ["@ydtb/core", "@ydtb/basic"] }).dependencies).toEqual({ "@ydtb/core": "*", "@ydtb/basic": "*" });
  });

  test("a bad plain object throws ManifestError and registers nothing", () => {
    const registry = createRegistry();
    const error = manifestError(() => registry.registerDatabase({ packageName: "@ydtb/plain", schema: schemaFor("plain"), migrations: [m1], dependencies: 7, version: "1.0.0" } as never));
    expect(error.issues.map((i) => i.path)).toEqual(["dependencies"]);
    expect(registry.list()).toEqual([]);
  });
});

describe("messages in our words", () => {
  const zodWords = /expected \w+, received|Invalid input|Invalid option|Too small|Too big|Unrecognized key/i;
  const bad: Record<string, unknown>[] = [
    { dependencies: 7 },
    { packageName: undefined },
    { version: 3 },
    { schema: [1] },
    { tools: {} },
    { tools: [{ id: 1, name: 2 }] },
    { descriptions: [] },
    { descriptions: { ydtb_demo_items: { description: 5 } } },
    { exemptions: {} },
    { exemptions: [{ rule: 1, table: null, reason: 2 }] },
    { globalTables: ["ydtb_demo_items"] },
    { extensions: "pg_trgm" },
    { migrations: [{ id: 1, up: "x", down: 2, transaction: "yes" }] },
  ];
  for (const overrides of bad) {
    test(`${JSON.stringify(overrides)} gets a path and a fix, no raw zod text`, () => {
      const error = manifestError(() => defineDatabase(input(overrides)));
      expect(error.code).toBe("INVALID_MANIFEST");
      for (const issue of error.issues) {
        expect(issue.path.length).toBeGreaterThan(0);
        expect(issue.message).not.toMatch(zodWords);
      }
      // The field's own advice (FIELD_HELP) or a check's own message that says what to write.
      expect(error.issues.every((i) => /write|e\.g\.|must be|needs|is required|say why|use /.test(i.message))).toBe(true);
    });
  }
});

describe("table scope and extensions", () => {
  const countries = pgTable("ydtb_demo_countries", { code: text("code").primaryKey() });

  test("globalTables declares tables global, with a reason; workspaceTables lists the others that carry workspace_id", () => {
    const m = manifest({ schema: { ...schemaFor("demo"), countries }, globalTables: { ydtb_demo_countries: "ISO reference data", ydtb_demo_tags: "shared tags" } });
    expect(isGlobalTable(m, "ydtb_demo_countries")).toBe(true);
    expect(isGlobalTable(m, "ydtb_demo_items")).toBe(false);
    expect(isGlobalTable(m, "toString")).toBe(false);
    expect(workspaceTables(m)).toEqual(["ydtb_demo_items"]);
    expect(m.globalTables).toEqual({ ydtb_demo_countries: "ISO reference data", ydtb_demo_tags: "shared tags" });
    expect(Object.isFrozen(m.globalTables)).toBe(true);
  });

  test("a table without workspace_id and not declared global is not in workspaceTables either", () => {
    expect(workspaceTables(manifest({ schema: { ...schemaFor("demo"), countries } }))).toEqual(["ydtb_demo_items", "ydtb_demo_tags"]);
  });

  test("extensions are carried in order", () => {
    expect(manifest({ extensions: ["pg_trgm", "vector"] }).extensions).toEqual(["pg_trgm", "vector"]);
    expect(manifest().extensions).toEqual([]);
  });
});

describe("a package that only brings migrations", () => {
  test("needs no schema", () => {
    const m = defineDatabase({ packageName: "@ydtb/legacy", version: "1.0.0", migrations: "/abs/drizzle" });
    expect(m.tables).toEqual([]);
    expect(m.schema).toEqual({});
    expect(createRegistry().registerDatabase(m).manifest).toBe(m);
  });
});

describe("input that used to throw raw TypeErrors", () => {
  test("a migrations URL that is not file:", () => {
    expect(manifestError(() => defineDatabase(input({ migrations: new URL("http://example.com/x") }))).issues.map((i) => i.path)).toEqual(["migrations"]);
  });

  test("schema values with a null prototype are ignored like any non-Drizzle export", () => {
    const m = manifest({ schema: { ...schemaFor("demo"), odd: Object.create(null) } });
    expect(m.tables).toHaveLength(2);
  });

  test("a getter that throws becomes a ManifestError with the cause kept", () => {
    const trap = { ...input() };
    Object.defineProperty(trap, "tools", { enumerable: true, get: () => { throw new RangeError("boom"); } });
    const error = manifestError(() => defineDatabase(trap));
    expect(error.cause).toBeInstanceOf(RangeError);
  });
});

describe("migrations paths resolve against the manifest's file", () => {
  test("whatever the caller's working directory", async () => {
    const tmp = resolve(import.meta.dir, "../../../.tmp");
    mkdirSync(tmp, { recursive: true });
    const dir = mkdtempSync(join(tmp, "located-"));
    const previous = process.cwd();
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "@ydtb/located" }));
      mkdirSync(join(dir, "src"));
      writeFileSync(
        join(dir, "src/database.ts"),
        `import { defineDatabase } from ${JSON.stringify(resolve(import.meta.dir, "../src/index.ts"))};\n` +
          `export default defineDatabase({ packageName: "@ydtb/located", version: "1.0.0", migrations: "./drizzle" });\n`,
      );
      process.chdir("/");
      const mod = (await import(pathToFileURL(join(dir, "src/database.ts")).href)) as { default: DatabaseManifest };
      expect(mod.default.packageDir).toBe(dir);
      expect(mod.default.source).toBe(join(dir, "src/database.ts"));
      expect(migrationsFolder(mod.default)).toBe(join(dir, "drizzle"));
    } finally {
      process.chdir(previous);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("only a relative folder is placed at define time", () => {
  test("TypeScript migrations and absolute folders get no package folder until discovery binds one", () => {
    expect(manifest({ migrations: [{ id: "0000_a", up: () => {} }] }).packageDir).toBeUndefined();
    expect(manifest({ migrations: "/abs/drizzle" }).packageDir).toBeUndefined();
    expect(manifest({ migrations: "./drizzle" }).packageDir).toBe(resolve(import.meta.dir, ".."));
  });
});

describe("ownership", () => {
  test("a refused registration leaves every table and tool with its owner", () => {
    const registry = createRegistry();
    registry.registerDatabase(manifest({ packageName: "@ydtb/a", schema: schemaFor("a"), tools: [{ id: "shared", name: "A" }] }));
    expect(() => registry.registerDatabase(manifest({ packageName: "@ydtb/b", schema: schemaFor("b"), tools: [{ id: "shared", name: "B" }] }))).toThrow(ToolConflictError);
    expect(registry.ownerOf("ydtb_b_items")).toBeUndefined();
    expect(registry.ownerOf("ydtb_a_items")).toBe("@ydtb/a");
    // The id stays taken by @ydtb/a: @ydtb/c is refused too, and @ydtb/b registers once it renames its tool.
    expect(() => registry.registerDatabase(manifest({ packageName: "@ydtb/c", schema: schemaFor("c"), tools: [{ id: "shared", name: "C" }] }))).toThrow(ToolConflictError);
    registry.registerDatabase(manifest({ packageName: "@ydtb/b", schema: schemaFor("b"), tools: [{ id: "b-tool", name: "B" }] }));
    expect(registry.list().map((m) => m.packageName)).toEqual(["@ydtb/a", "@ydtb/b"]);
  });

  test("re-registering a package with tools in development keeps its tool ids its own", () => {
    const registry = createRegistry({ mode: "development" });
    registry.registerDatabase(manifest({ tools: [{ id: "demo", name: "Demo" }] }));
    const again = registry.registerDatabase(manifest({ version: "1.1.0", tools: [{ id: "demo", name: "Demo 2" }, { id: "demo-2", name: "More" }] }));
    expect(again.replaced?.version).toBe("1.0.0");
    expect(registry.get("@ydtb/demo")?.tools.map((t) => t.id)).toEqual(["demo", "demo-2"]);
    // A tool dropped by the new manifest is free for another package.
    registry.registerDatabase(manifest({ version: "1.2.0", tools: [{ id: "demo", name: "Demo" }] }));
    registry.registerDatabase(manifest({ packageName: "@ydtb/other", schema: schemaFor("other"), tools: [{ id: "demo-2", name: "Other" }] }));
    expect(() => registry.registerDatabase(manifest({ packageName: "@ydtb/third", schema: schemaFor("third"), tools: [{ id: "demo", name: "T" }] }))).toThrow(ToolConflictError);
  });
});
