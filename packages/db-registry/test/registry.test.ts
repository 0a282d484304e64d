import { describe, expect, test } from "bun:test";
import {
  bindManifest,
  createRegistry,
  DuplicatePackageError,
  NotAManifestError,
  SchemaValidationError,
  TableConflictError,
  type Diagnostic,
} from "../src/index.ts";
import { manifest, schemaFor } from "./builders.ts";

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe("createRegistry", () => {
  test("registers, lists in name order, gets and unregisters, emitting events", () => {
    const registry = createRegistry();
    const events: string[] = [];
    registry.on("registered", ({ manifest: m }) => events.push(`registered ${m.packageName}`));
    const off = registry.on("unregistered", ({ manifest: m }) => events.push(`unregistered ${m.packageName}`));
    registry.registerDatabase(manifest({ packageName: "@ydtb/zeta", schema: schemaFor("zeta") }));
    registry.registerDatabase(manifest({ packageName: "@ydtb/alpha", schema: schemaFor("alpha") }));
    expect(registry.list().map((m) => m.packageName)).toEqual(["@ydtb/alpha", "@ydtb/zeta"]);
    expect(registry.has("@ydtb/alpha")).toBe(true);
    expect(registry.get("@ydtb/zeta")?.version).toBe("1.0.0");
    expect(registry.ownerOf("ydtb_zeta_items")).toBe("@ydtb/zeta");
    expect(registry.unregisterDatabase("@ydtb/zeta")).toBe(true);
    expect(registry.unregisterDatabase("@ydtb/zeta")).toBe(false);
    expect(registry.ownerOf("ydtb_zeta_items")).toBeUndefined();
    off();
    registry.unregisterDatabase("@ydtb/alpha");
    expect(events).toEqual(["registered @ydtb/zeta", "registered @ydtb/alpha", "unregistered @ydtb/zeta"]);
  });

  test("a second manifest under a taken name is an error naming both sources", () => {
    const registry = createRegistry();
    registry.registerDatabase(bindManifest(manifest(), { packageDir: "/a", source: "/a/src/database.ts" }));
    let error: unknown;
    try {
      registry.registerDatabase(bindManifest(manifest(), { packageDir: "/b", source: "/b/src/database.ts" }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DuplicatePackageError);
    expect((error as DuplicatePackageError).code).toBe("DUPLICATE_PACKAGE");
    expect((error as DuplicatePackageError).existingSource).toBe("/a/src/database.ts");
    expect((error as DuplicatePackageError).newSource).toBe("/b/src/database.ts");
    // Production mode refuses even the same source.
    expect(codeOf(() => registry.registerDatabase(bindManifest(manifest(), { packageDir: "/a", source: "/a/src/database.ts" })))).toBe("DUPLICATE_PACKAGE");
  });

  test("two packages claiming one table name is an error naming both and the table; nothing registered", () => {
    const registry = createRegistry();
    registry.registerDatabase(manifest({ packageName: "@ydtb/one", schema: schemaFor("shared") }));
    let error: unknown;
    try {
      registry.registerDatabase(manifest({ packageName: "@ydtb/two", schema: schemaFor("shared") }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TableConflictError);
    expect((error as TableConflictError).table).toBe("ydtb_shared_items");
    expect((error as TableConflictError).owner).toBe("@ydtb/one");
    expect((error as TableConflictError).claimant).toBe("@ydtb/two");
    expect(registry.has("@ydtb/two")).toBe(false);
  });

  test("registering something that is not a manifest is an error", () => {
    const registry = createRegistry();
    for (const bad of [null, undefined, 42, "x", [], () => {}]) {
      expect(codeOf(() => registry.registerDatabase(bad as never))).toBe("NOT_A_MANIFEST");
    }
    expect(() => registry.registerDatabase(null as never)).toThrow(NotAManifestError);
    // A plain object is checked as defineDatabase() input: an incomplete one is a bad manifest.
    expect(codeOf(() => registry.registerDatabase({ packageName: "@ydtb/x", version: "1.0.0" } as never))).toBe("INVALID_MANIFEST");
    expect(registry.list()).toEqual([]);
  });

  test("validation errors refuse the registration with every diagnostic; warnings are returned", () => {
    const diagnostics: Diagnostic[] = [
      { rule: "a", severity: "error", package: "@ydtb/demo", table: "ydtb_demo_items", message: "m" },
      { rule: "b", severity: "error", package: "@ydtb/demo", table: "ydtb_demo_tags", message: "m" },
      { rule: "c", severity: "warning", package: "@ydtb/demo", message: "m" },
    ];
    const failing = createRegistry({ validate: () => ({ diagnostics, exempted: [] }) });
    let error: unknown;
    try {
      failing.registerDatabase(manifest());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as SchemaValidationError).diagnostics.map((d) => d.rule)).toEqual(["a", "b", "c"]);
    expect(failing.has("@ydtb/demo")).toBe(false);

    const warning = diagnostics[2]!;
    const seen: string[][] = [];
    const passing = createRegistry({
      validate: (_m, registered) => {
        seen.push(registered.map((r) => r.packageName));
        return { diagnostics: [warning], exempted: [] };
      },
    });
    passing.registerDatabase(manifest({ packageName: "@ydtb/first", schema: schemaFor("first") }));
    const result = passing.registerDatabase(manifest());
    expect(result.warnings).toEqual([warning]);
    expect(seen).toEqual([[], ["@ydtb/first"]]);
  });

  test("development mode replaces a package from the same source and reports what changed", () => {
    const registry = createRegistry({ mode: "development" });
    const replaced: unknown[] = [];
    registry.on("replaced", (e) => replaced.push(e.changes));
    const where = { packageDir: "/a", source: "/a/src/database.ts" };
    registry.registerDatabase(bindManifest(manifest(), where));
    const schema = schemaFor("demo");
    const { integer, pgTable, text, varchar } = require("drizzle-orm/pg-core");
    const next = {
      items: pgTable("ydtb_demo_items", {
        workspaceId: varchar("workspace_id", { length: 20 }).notNull(),
        id: text("id").primaryKey(),
        count: integer("count").notNull(),
      }),
      extra: pgTable("ydtb_demo_extra", { workspaceId: varchar("workspace_id", { length: 20 }).notNull() }),
      mood: schema.mood,
    };
    const result = registry.registerDatabase(bindManifest(manifest({ schema: next, version: "1.1.0" }), where));
    expect(result.replaced?.version).toBe("1.0.0");
    expect(replaced).toEqual([{ tablesAdded: ["ydtb_demo_extra"], tablesRemoved: ["ydtb_demo_tags"], tablesAltered: ["ydtb_demo_items"], versionChanged: true }]);
    expect(registry.ownerOf("ydtb_demo_tags")).toBeUndefined();
    expect(registry.ownerOf("ydtb_demo_extra")).toBe("@ydtb/demo");
    // A different source under the same name is still a duplicate.
    expect(codeOf(() => registry.registerDatabase(bindManifest(manifest(), { packageDir: "/b", source: "/b/src/database.ts" })))).toBe("DUPLICATE_PACKAGE");
  });
});

describe("tools", () => {
  test("two packages declaring one tool id is an error naming both; unregistering frees the id", () => {
    const registry = createRegistry();
    registry.registerDatabase(manifest({ packageName: "@ydtb/one", schema: schemaFor("one"), tools: [{ id: "notes", name: "Notes" }] }));
    let error: unknown;
    try {
      registry.registerDatabase(manifest({ packageName: "@ydtb/two", schema: schemaFor("two"), tools: [{ id: "notes", name: "Other" }] }));
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).toBe("TOOL_CONFLICT");
    expect((error as { owner?: string }).owner).toBe("@ydtb/one");
    expect((error as { claimant?: string }).claimant).toBe("@ydtb/two");
    expect(registry.has("@ydtb/two")).toBe(false);
    registry.unregisterDatabase("@ydtb/one");
    registry.registerDatabase(manifest({ packageName: "@ydtb/two", schema: schemaFor("two"), tools: [{ id: "notes", name: "Other" }] }));
    expect(registry.has("@ydtb/two")).toBe(true);
  });
});
