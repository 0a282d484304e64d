import { describe, expect, test } from "bun:test";
import { AppliedState, IrreversibleMigrationError, planMigrations, planRun, RollbackBlockedError, UnknownTargetError, type LoadedPackage } from "../src/index.ts";
import { applied, lines, pkg } from "./builders.ts";

const core = pkg("@ydtb/core", { migrations: ["0000_core", "0001_tools"], released: { "1.0.0": ["0000_core"], "1.1.0": ["0001_tools"] }, version: "1.1.0" });
const basic = pkg("@ydtb/basic", { deps: { "@ydtb/core": "^1.0.0" }, migrations: ["0000_notes", "0001_pinned", "0002_archive"], released: { "1.0.0": ["0000_notes"], "1.1.0": ["0001_pinned"] }, version: "1.1.0" });
const crm = pkg("@ydtb/crm", { deps: { "@ydtb/basic": "^1.1.0" }, migrations: ["0000_crm"], released: { "1.0.0": ["0000_crm"] } });
const everything = [...applied("@ydtb/core", ["0000_core", "0001_tools"]), ...applied("@ydtb/basic", ["0000_notes", "0001_pinned", "0002_archive"], 2), ...applied("@ydtb/crm", ["0000_crm"], 5)];

describe("planMigrations", () => {
  test("latest: every pending migration, dependencies first, each package in its own order", () => {
    const plan = planMigrations({ packages: [crm, basic, core], applied: [] });
    expect(lines(plan)).toEqual([
      "up @ydtb/core 0000_core",
      "up @ydtb/core 0001_tools",
      "up @ydtb/basic 0000_notes",
      "up @ydtb/basic 0001_pinned",
      "up @ydtb/basic 0002_archive",
      "up @ydtb/crm 0000_crm",
    ]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.steps.every((s) => s.reason.length > 0)).toBe(true);
    expect(plan.steps.find((s) => s.id === "0002_archive")!.version).toBeNull();
  });

  test("latest on an up-to-date database: no steps", () => {
    expect(planMigrations({ packages: [core, basic, crm], applied: everything }).steps).toEqual([]);
  });

  test("ties between independent packages go by name", () => {
    const z = pkg("@ydtb/zeta", { migrations: ["0000_z"] });
    const a = pkg("@ydtb/alpha", { migrations: ["0000_a"] });
    expect(lines(planMigrations({ packages: [z, a, core], applied: applied("@ydtb/core", ["0000_core", "0001_tools"]) }))).toEqual(["up @ydtb/alpha 0000_a", "up @ydtb/zeta 0000_z"]);
  });

  test("version target up: the package's released migrations up to it, its dependencies to latest", () => {
    const plan = planMigrations({ packages: [core, basic, crm], applied: [], target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } });
    expect(lines(plan)).toEqual(["up @ydtb/core 0000_core", "up @ydtb/core 0001_tools", "up @ydtb/basic 0000_notes"]);
  });

  test("version target down: undoes what is above it, newest first", () => {
    const state = everything.filter((a) => a.package !== "@ydtb/crm");
    const plan = planMigrations({ packages: [core, basic, crm], applied: state, target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } });
    expect(lines(plan)).toEqual(["down @ydtb/basic 0002_archive", "down @ydtb/basic 0001_pinned"]);
  });

  test("going below what a dependent needs is refused with the list of dependents", () => {
    try {
      planMigrations({ packages: [core, basic, crm], applied: everything, target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } });
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(RollbackBlockedError);
      expect((error as RollbackBlockedError).code).toBe("ROLLBACK_BLOCKED_BY_DEPENDENTS");
      expect((error as RollbackBlockedError).dependents).toEqual([{ package: "@ydtb/crm", ids: ["0000_crm"] }]);
    }
  });

  test("--cascade undoes the dependents first, transitively", () => {
    const plan = planMigrations({ packages: [core, basic, crm], applied: everything, target: { kind: "version", package: "@ydtb/core", version: "0.0.0" }, cascade: true });
    expect(lines(plan)).toEqual([
      "down @ydtb/crm 0000_crm",
      "down @ydtb/basic 0002_archive",
      "down @ydtb/basic 0001_pinned",
      "down @ydtb/basic 0000_notes",
      "down @ydtb/core 0001_tools",
      "down @ydtb/core 0000_core",
    ]);
    expect(plan.steps[0]!.reason).toContain("cascade");
  });

  test("a rollback that still satisfies the dependents' ranges needs no cascade", () => {
    const plan = planMigrations({ packages: [core, basic, crm], applied: everything, target: { kind: "version", package: "@ydtb/core", version: "1.0.0" } });
    expect(lines(plan)).toEqual(["down @ydtb/core 0001_tools"]);
  });

  test("--steps N undoes the last N applied migrations", () => {
    const plan = planMigrations({ packages: [core, basic, crm], applied: everything, target: { kind: "steps", steps: 2 } });
    expect(lines(plan)).toEqual(["down @ydtb/crm 0000_crm", "down @ydtb/basic 0002_archive"]);
  });

  test("a step without a down is refused before anything runs", () => {
    const noDown = pkg("@ydtb/basic", { deps: { "@ydtb/core": "^1.0.0" }, migrations: ["0000_notes", { id: "0001_pinned", noDown: true }], released: { "1.0.0": ["0000_notes"], "1.1.0": ["0001_pinned"] } });
    try {
      planMigrations({ packages: [core, noDown], applied: [...applied("@ydtb/core", ["0000_core", "0001_tools"]), ...applied("@ydtb/basic", ["0000_notes", "0001_pinned"], 2)], target: { kind: "steps", steps: 1 } });
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(IrreversibleMigrationError);
      expect((error as IrreversibleMigrationError).code).toBe("NO_DOWN_MIGRATION");
      expect((error as IrreversibleMigrationError).migrations.map((m) => m.id)).toEqual(["0001_pinned"]);
    }
  });

  test("an unknown package or unreleased version is refused", () => {
    expect(() => planMigrations({ packages: [core], applied: [], target: { kind: "version", package: "@ydtb/nope", version: "1.0.0" } })).toThrow(UnknownTargetError);
    expect(() => planMigrations({ packages: [core], applied: [], target: { kind: "version", package: "@ydtb/core", version: "1.7.0" } })).toThrow(UnknownTargetError);
    expect(() => planMigrations({ packages: [core], applied: [], target: { kind: "steps", steps: 0 } })).toThrow(UnknownTargetError);
  });

  test("a new migration ordered before applied ones is a conflict unless allowed", () => {
    const state = [...applied("@ydtb/core", ["0000_core", "0001_tools"]), ...applied("@ydtb/basic", ["0000_notes", "0002_archive"], 2)];
    const refused = planMigrations({ packages: [core, basic], applied: state });
    expect(refused.conflicts.map((c) => [c.kind, c.id])).toEqual([["out-of-order", "0001_pinned"]]);
    const allowed = planMigrations({ packages: [core, basic], applied: state, allowOutOfOrder: true });
    expect(allowed.conflicts).toEqual([]);
    expect(lines(allowed)).toEqual(["up @ydtb/basic 0001_pinned"]);
    expect(allowed.steps[0]!.reason).toContain("out of order");
  });

  test("checksum drift and a vanished file are conflicts naming the migration", () => {
    const state = [...applied("@ydtb/core", ["0000_core", "0001_tools"], 0, (id) => (id === "0001_tools" ? "sum:edited" : `sum:${id}`)), ...applied("@ydtb/basic", ["0000_notes", "0000_gone"], 2)];
    const plan = planMigrations({ packages: [core, basic], applied: state });
    expect(plan.conflicts.map((c) => [c.kind, c.package, c.id])).toEqual([
      ["checksum-mismatch", "@ydtb/core", "0001_tools"],
      ["missing-file", "@ydtb/basic", "0000_gone"],
    ]);
    expect(plan.conflicts[0]!.file).toBe("/fixtures/@ydtb/core/0001_tools.sql");
  });

  test("duplicate ids are a conflict", () => {
    const dup = pkg("@ydtb/basic", { migrations: ["0000_notes", "0000_notes"] });
    expect(planMigrations({ packages: [core, dup], applied: [] }).conflicts.map((c) => [c.kind, c.id])).toEqual([["duplicate-id", "0000_notes"]]);
  });

  test("history of packages not in this run is ignored", () => {
    const plan = planMigrations({ packages: [core], applied: everything });
    expect(plan.steps).toEqual([]);
    expect(plan.conflicts).toEqual([]);
  });

  test("a rollback is refused because of a dependent two levels away, and --cascade undoes both", () => {
    // basic needs core ^1.1.0 (so core@1.0.0 breaks it), crm needs basic (so it breaks in turn).
    const basic2 = pkg("@ydtb/basic", { deps: { "@ydtb/core": "^1.1.0" }, migrations: ["0000_notes"], released: { "1.0.0": ["0000_notes"] } });
    const crm2 = pkg("@ydtb/crm", { deps: { "@ydtb/basic": "^1.0.0" }, migrations: ["0000_crm"], released: { "1.0.0": ["0000_crm"] } });
    const state = [...applied("@ydtb/core", ["0000_core", "0001_tools"]), ...applied("@ydtb/basic", ["0000_notes"], 2), ...applied("@ydtb/crm", ["0000_crm"], 3)];
    const input = { packages: [core, basic2, crm2], applied: state, target: { kind: "version", package: "@ydtb/core", version: "1.0.0" } } as const;
    let refused: unknown;
    try {
      planMigrations(input);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RollbackBlockedError);
    expect((refused as RollbackBlockedError).dependents).toEqual([
      { package: "@ydtb/basic", ids: ["0000_notes"] },
      { package: "@ydtb/crm", ids: ["0000_crm"] },
    ]);
    expect(lines(planMigrations({ ...input, cascade: true }))).toEqual(["down @ydtb/crm 0000_crm", "down @ydtb/basic 0000_notes", "down @ydtb/core 0001_tools"]);
  });

  test("a dependency left at a prerelease version still satisfies a plain range", () => {
    const core3 = pkg("@ydtb/core", { migrations: ["0000_core", "0001_tools", "0002_next"], released: { "1.0.0": ["0000_core"], "1.1.0-beta.1": ["0001_tools"] }, version: "1.1.0" });
    const state = [...applied("@ydtb/core", ["0000_core", "0001_tools", "0002_next"]), ...applied("@ydtb/crm2", ["0000_crm"], 3)];
    const crm3 = pkg("@ydtb/crm2", { deps: { "@ydtb/core": "^1.0.0" }, migrations: ["0000_crm"] });
    const plan = planMigrations({ packages: [core3, crm3], applied: state, target: { kind: "version", package: "@ydtb/core", version: "1.1.0-beta.1" } });
    expect(lines(plan)).toEqual(["down @ydtb/core 0002_next"]);
  });

  test("--steps N with a package undoes that package's last N only", () => {
    // crm was applied last: a plain --steps 1 would undo it.
    const plan = planMigrations({ packages: [core, basic, crm], applied: everything, target: { kind: "steps", steps: 1, package: "@ydtb/basic" } });
    expect(lines(plan)).toEqual(["down @ydtb/basic 0002_archive"]);
    expect(() => planMigrations({ packages: [core, basic, crm], applied: everything, target: { kind: "steps", steps: 2, package: "@ydtb/basic" } })).toThrow(RollbackBlockedError);
    expect(() => planMigrations({ packages: [core], applied: [], target: { kind: "steps", steps: 1, package: "@ydtb/nope" } })).toThrow(UnknownTargetError);
  });

  test("a down step takes its transaction mode from the down body, not the up", () => {
    const nt = pkg("@ydtb/nt", { migrations: [{ id: "0000_i", down: { kind: "sql", file: "/fx/0000_i.down.sql", text: "-- ydtb:no-transaction", transaction: false } }] });
    const plan = planMigrations({ packages: [core, nt], applied: [...applied("@ydtb/core", ["0000_core", "0001_tools"]), ...applied("@ydtb/nt", ["0000_i"], 2)], target: { kind: "steps", steps: 1 } });
    expect(plan.steps.map((s) => [s.direction, s.id, s.transaction])).toEqual([["down", "0000_i", false]]);
  });
});

describe("planRun: one planner, answering from the versions summary when it can", () => {
  const packages: LoadedPackage[] = [core, basic];
  const order = ["@ydtb/core", "@ydtb/basic"];
  const state = [...applied("@ydtb/core", ["0000_core", "0001_tools"]), ...applied("@ydtb/basic", ["0000_notes", "0001_pinned", "0002_archive"], 2)];
  const summary = AppliedState.from(state).versionRows(packages);

  test("a summary equal to the code is the no-op plan, without the applied set", () => {
    const decision = planRun({ packages, order, state: { kind: "summary", versions: summary } });
    expect(decision.kind === "plan" && [decision.fromSummary, decision.plan.steps.length]).toEqual([true, 0]);
  });

  test("anything else needs the applied set: a version bump, a changed checksum, a missing row, a target other than latest", () => {
    const bumped = summary.map((r) => (r.package === "@ydtb/basic" ? { ...r, codeVersion: "1.2.0" } : r));
    const edited = AppliedState.from(state.map((a) => (a.id === "0000_notes" ? { ...a, checksum: "sum:edited" } : a))).versionRows(packages);
    const cases = [
      { state: { kind: "summary", versions: bumped } },
      { state: { kind: "summary", versions: edited } },
      { state: { kind: "summary", versions: summary.slice(1) } },
      { state: { kind: "summary", versions: summary }, target: { kind: "steps", steps: 1 } },
      { state: { kind: "summary", versions: AppliedState.from(state.slice(0, 4)).versionRows(packages) } },
    ] as const;
    expect(cases.map((c) => planRun({ packages, order, ...c }).kind)).toEqual(["needs-applied", "needs-applied", "needs-applied", "needs-applied", "needs-applied"]);
    const full = planRun({ packages, order, state: { kind: "applied", applied: state.slice(0, 4) } });
    expect([full.fromSummary, lines(full.plan)]).toEqual([false, ["up @ydtb/basic 0002_archive"]]);
  });
});

