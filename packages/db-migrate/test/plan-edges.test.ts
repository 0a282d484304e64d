import { describe, expect, test } from "bun:test";
import { AppliedState, planMigrations, RollbackBlockedError, schemaVersionOf } from "../src/index.ts";
import { applied, lines, pkg } from "./builders.ts";

const core = pkg("@ydtb/core", { migrations: ["0000_core", "0001_tools"], released: { "1.0.0": ["0000_core"], "1.1.0": ["0001_tools"] }, version: "1.1.0" });
const coreDone = applied("@ydtb/core", ["0000_core", "0001_tools"]);

function refusal(fn: () => unknown): RollbackBlockedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RollbackBlockedError) return error;
    throw error;
  }
  throw new Error("expected a RollbackBlockedError");
}

describe("rollbacks and dependents", () => {
  test("a dependent with nothing applied does not block a rollback, nor is it cascaded", () => {
    const idle = pkg("@ydtb/idle", { deps: { "@ydtb/core": "^1.1.0" }, migrations: ["0000_idle"] });
    const plan = planMigrations({ packages: [core, idle], applied: coreDone, target: { kind: "version", package: "@ydtb/core", version: "0.0.0" } });
    expect(lines(plan)).toEqual(["down @ydtb/core 0001_tools", "down @ydtb/core 0000_core"]);
  });

  test("the refusal names the packages rolled back and each dependent's applied ids, in migration order", () => {
    const a = pkg("@ydtb/a", { deps: { "@ydtb/core": "^1.1.0" }, migrations: ["0000_a", "0001_a", "0002_a"] });
    const b = pkg("@ydtb/b", { deps: { "@ydtb/core": "^1.1.0" }, migrations: ["0000_b"] });
    const state = [...coreDone, ...applied("@ydtb/b", ["0000_b"], 2), ...applied("@ydtb/a", ["0000_a", "0001_a"], 3)];
    const e = refusal(() => planMigrations({ packages: [b, core, a], applied: state, target: { kind: "steps", steps: 1, package: "@ydtb/core" } }));
    expect([e.packageName, e.dependents]).toEqual(["@ydtb/core", [{ package: "@ydtb/a", ids: ["0000_a", "0001_a"] }, { package: "@ydtb/b", ids: ["0000_b"] }]]);
    expect(e.message).toContain(`Rolling back "@ydtb/core" would leave applied migrations of packages that depend on it:\n  - "@ydtb/a": 0000_a, 0001_a\n  - "@ydtb/b": 0000_b\n`);
    // A dependent whose range the rollback keeps is neither refused nor cascaded.
    const loose = pkg("@ydtb/b", { deps: { "@ydtb/core": "^1.0.0" }, migrations: ["0000_b"] });
    const plan = planMigrations({ packages: [loose, core, a], applied: state, target: { kind: "steps", steps: 1, package: "@ydtb/core" }, cascade: true });
    expect(lines(plan)).toEqual(["down @ydtb/a 0001_a", "down @ydtb/a 0000_a", "down @ydtb/core 0001_tools"]);
  });

  test("a dependency left with none of its migrations breaks a dependent whatever its range", () => {
    const any = pkg("@ydtb/any", { deps: { "@ydtb/core": "*" }, migrations: ["0000_any"] });
    const state = [...coreDone, ...applied("@ydtb/any", ["0000_any"], 2)];
    const e = refusal(() => planMigrations({ packages: [core, any], applied: state, target: { kind: "version", package: "@ydtb/core", version: "0.0.0" } }));
    expect(e.dependents).toEqual([{ package: "@ydtb/any", ids: ["0000_any"] }]);
  });
});

test("a cascaded dependent's reason names the first dependency it declares that the rollback breaks", () => {
  const basic = pkg("@ydtb/basic", { migrations: ["0000_notes"] });
  const crm = pkg("@ydtb/crm", { deps: { "@ydtb/basic": "*" }, migrations: ["0000_crm"] });
  const state = [...coreDone, ...applied("@ydtb/basic", ["0000_notes"], 2), ...applied("@ydtb/crm", ["0000_crm"], 3)];
  const plan = planMigrations({ packages: [crm, basic, core], applied: state, target: { kind: "version", package: "@ydtb/core", version: "0.0.0" }, cascade: true });
  expect(plan.steps.map((s) => `${s.direction} ${s.id} — ${s.reason}`).slice(0, 2)).toEqual([
    "down 0000_crm — depends on @ydtb/core (*), which is rolled back (cascade)",
    "down 0000_notes — depends on @ydtb/core (*), which is rolled back (cascade)",
  ]);
});

describe("schema versions and conflicts", () => {
  test("a schema version needs every migration of it and of the versions before it", () => {
    const basic = pkg("@ydtb/basic", { migrations: ["0000_a", "0001_b", "0002_c"], released: { "1.0.0": ["0000_a"], "1.1.0": ["0001_b"], "1.2.0": ["0002_c"] } });
    const version = (...ids: string[]) => schemaVersionOf(basic, new Set(ids));
    expect([version(), version("0000_a"), version("0001_b"), version("0000_a", "0002_c"), version("0000_a", "0001_b"), version("0000_a", "0001_b", "0002_c")]).toEqual([
      null,
      "1.0.0",
      null,
      "1.0.0",
      "1.1.0",
      "1.2.0",
    ]);
    const row = AppliedState.from(applied("@ydtb/basic", ["0001_b", "0002_c"])).versionRows([basic])[0]!;
    expect([row.schemaVersion, row.appliedCount]).toEqual([null, 2]);
  });

  test("conflicts come in the order migrations were applied, whatever order the rows are given in", () => {
    const basic = pkg("@ydtb/basic", { migrations: ["0000_a", "0001_b"] });
    const rows = [
      { package: "@ydtb/basic", id: "0009_gone", checksum: "x", version: null, order: 9 },
      { package: "@ydtb/basic", id: "0001_b", checksum: "edited", version: null, order: 4 },
      { package: "@ydtb/basic", id: "0000_a", checksum: "sum:0000_a", version: null, order: 3 },
      { package: "@ydtb/basic", id: "0005_gone", checksum: "x", version: null, order: 5 },
    ];
    const plan = planMigrations({ packages: [core, basic], applied: [...coreDone, ...rows] });
    expect(plan.conflicts.map((c) => `${c.kind} ${c.id}`)).toEqual(["checksum-mismatch 0001_b", "missing-file 0005_gone", "missing-file 0009_gone"]);
    expect(plan.steps).toEqual([]);
  });

  test("duplicate ids are reported in migration order, each naming both positions", () => {
    const dup = pkg("@ydtb/basic", { migrations: ["0000_a", "0001_b", "0000_a", "0001_b"] });
    expect(planMigrations({ packages: [core, dup], applied: coreDone }).conflicts.map((c) => [c.kind, c.id, c.message.includes(c.id === "0000_a" ? "positions 1 and 3" : "positions 2 and 4")])).toEqual([
      ["duplicate-id", "0000_a", true],
      ["duplicate-id", "0001_b", true],
    ]);
  });
});
