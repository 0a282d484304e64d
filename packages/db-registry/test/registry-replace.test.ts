import { describe, expect, test } from "bun:test";
import { bindManifest, createRegistry, DuplicatePackageError, ToolConflictError, type Diagnostic, type ExemptedDiagnostic } from "../src/index.ts";
import { manifest, schemaFor } from "./builders.ts";

const where = (dir: string) => ({ packageDir: dir, source: `${dir}/src/database.ts` });

/** A registry in development mode recording every event it emits, in order. */
function recording() {
  const registry = createRegistry({ mode: "development" });
  const events: string[] = [];
  registry.on("registered", ({ manifest: m }) => events.push(`registered ${m.packageName} ${m.version}`));
  registry.on("replaced", ({ previous, manifest: m }) => events.push(`replaced ${m.packageName} ${previous.version}→${m.version}`));
  registry.on("unregistered", ({ manifest: m }) => events.push(`unregistered ${m.packageName}`));
  return { registry, events };
}

describe("development mode re-registration", () => {
  test("a manifest without a source replaces one with a source, and the other way round; another source is a duplicate", () => {
    const { registry, events } = recording();
    registry.registerDatabase(bindManifest(manifest(), where("/a")));
    const unbound = registry.registerDatabase(manifest({ version: "1.1.0" }));
    expect(unbound.replaced?.version).toBe("1.0.0");
    const bound = registry.registerDatabase(bindManifest(manifest({ version: "1.2.0" }), where("/b")));
    expect(bound.replaced?.version).toBe("1.1.0");
    expect(() => registry.registerDatabase(bindManifest(manifest({ version: "1.3.0" }), where("/c")))).toThrow(DuplicatePackageError);
    // Replacing emits `replaced` only, never a second `registered`.
    expect(events).toEqual(["registered @ydtb/demo 1.0.0", "replaced @ydtb/demo 1.0.0→1.1.0", "replaced @ydtb/demo 1.1.0→1.2.0"]);
    expect(registry.list().map((m) => m.version)).toEqual(["1.2.0"]);
  });

  test("a tool the new version drops is free for another package; a tool it keeps is still its own", () => {
    const { registry } = recording();
    const tools = [
      { id: "notes", name: "Notes" },
      { id: "boards", name: "Boards" },
    ];
    registry.registerDatabase(bindManifest(manifest({ tools }), where("/a")));
    registry.registerDatabase(bindManifest(manifest({ version: "1.1.0", tools: [tools[1]] }), where("/a")));
    registry.registerDatabase(manifest({ packageName: "@ydtb/other", schema: schemaFor("other"), tools: [{ id: "notes", name: "Other notes" }] }));
    expect(registry.has("@ydtb/other")).toBe(true);
    const taken = (() => {
      try {
        registry.registerDatabase(manifest({ packageName: "@ydtb/third", schema: schemaFor("third"), tools: [{ id: "boards", name: "B" }] }));
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(taken).toBeInstanceOf(ToolConflictError);
    expect([(taken as ToolConflictError).toolId, (taken as ToolConflictError).owner, (taken as ToolConflictError).claimant]).toEqual(["boards", "@ydtb/demo", "@ydtb/third"]);
    expect((taken as ToolConflictError).message).toContain('rename the tool of "@ydtb/third", e.g. "third-boards"');
  });

  test("a replacement the validator refuses keeps the previous version, its tables and its events", () => {
    let refuse = false;
    const error: Diagnostic = { rule: "r", severity: "error", package: "@ydtb/demo", message: "no" };
    const registry = createRegistry({ mode: "development", validate: () => ({ diagnostics: refuse ? [error] : [], exempted: [] }) });
    const replaced: string[] = [];
    registry.on("replaced", ({ manifest: m }) => replaced.push(m.version));
    registry.registerDatabase(bindManifest(manifest(), where("/a")));
    refuse = true;
    expect(() => registry.registerDatabase(bindManifest(manifest({ version: "2.0.0", schema: schemaFor("renamed") }), where("/a")))).toThrow();
    expect([registry.get("@ydtb/demo")?.version, registry.ownerOf("ydtb_demo_items"), registry.ownerOf("ydtb_renamed_items"), replaced]).toEqual(["1.0.0", "@ydtb/demo", undefined, []]);
  });
});

describe("what the validator sees", () => {
  test("a replacement is validated against the other packages only, never its own previous version", () => {
    const seen: string[][] = [];
    const registry = createRegistry({ mode: "development", validate: (m, registered) => (seen.push([m.version, ...registered.map((r) => `${r.packageName}@${r.version}`)]), { diagnostics: [], exempted: [] }) });
    registry.registerDatabase(manifest({ packageName: "@ydtb/other", schema: schemaFor("other") }));
    registry.registerDatabase(bindManifest(manifest(), where("/a")));
    registry.registerDatabase(bindManifest(manifest({ version: "1.1.0" }), where("/a")));
    expect(seen).toEqual([["1.0.0"], ["1.0.0", "@ydtb/other@1.0.0"], ["1.1.0", "@ydtb/other@1.0.0"]]);
  });
});

describe("what a registration returns", () => {
  test("the validator's exempted diagnostics with their reasons, and its warnings, on the result and the events", () => {
    const warning: Diagnostic = { rule: "w", severity: "warning", package: "@ydtb/demo", message: "w" };
    const exempted: ExemptedDiagnostic[] = [{ diagnostic: { rule: "e", severity: "error", package: "@ydtb/demo", table: "ydtb_demo_items", message: "e" }, reason: "legacy" }];
    const registry = createRegistry({ mode: "development", validate: () => ({ diagnostics: [warning], exempted }) });
    const seen: unknown[] = [];
    registry.on("registered", ({ warnings }) => seen.push(["registered", warnings]));
    registry.on("replaced", ({ warnings, changes }) => seen.push(["replaced", warnings, changes.versionChanged]));
    const first = registry.registerDatabase(manifest());
    expect([first.warnings, first.exempted, "replaced" in first]).toEqual([[warning], exempted, false]);
    const second = registry.registerDatabase(manifest());
    expect([second.exempted, second.replaced?.packageName]).toEqual([exempted, "@ydtb/demo"]);
    expect(seen).toEqual([
      ["registered", [warning]],
      ["replaced", [warning], false],
    ]);
  });

  test("the unsubscribe function returned by on() stops only that listener", () => {
    const registry = createRegistry();
    const heard: string[] = [];
    const off = registry.on("registered", () => heard.push("a"));
    registry.on("registered", () => heard.push("b"));
    registry.registerDatabase(manifest({ packageName: "@ydtb/one", schema: schemaFor("one") }));
    off();
    registry.registerDatabase(manifest({ packageName: "@ydtb/two", schema: schemaFor("two") }));
    expect(heard).toEqual(["a", "b", "b"]);
  });
});
