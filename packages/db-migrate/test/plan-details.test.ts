import { describe, expect, test } from "bun:test";
import { planMigrations, UnknownTargetError, type AppliedMigration } from "../src/index.ts";
import { applied, lines, pkg } from "./builders.ts";

const core = pkg("@ydtb/core", { migrations: ["0000_core"], released: { "1.0.0": ["0000_core"] } });
// 1.0.0: 0000_notes; 1.1.0: 0001_pinned; unreleased: 0002_archive.
const basic = pkg("@ydtb/basic", { deps: { "@ydtb/core": "^1.0.0" }, migrations: ["0000_notes", "0001_pinned", "0002_archive"], released: { "1.0.0": ["0000_notes"], "1.1.0": ["0001_pinned"] }, version: "1.1.0" });
const tasks = pkg("@ydtb/tasks", { deps: { "@ydtb/basic": "^1.0.0" }, migrations: ["0000_tasks", "0001_due"], released: { "1.0.0": ["0000_tasks", "0001_due"] } });
const coreDone = applied("@ydtb/core", ["0000_core"]);

/** `direction package id — reason` of each step. */
const reasons = (plan: ReturnType<typeof planMigrations>) => plan.steps.map((s) => `${s.direction} ${s.package} ${s.id} — ${s.reason}`);

describe("plan step by step", () => {
  test("each step carries its release, transaction mode and why it runs", () => {
    const plan = planMigrations({ packages: [core, basic], applied: [] });
    expect(plan.steps).toEqual([
      { package: "@ydtb/core", id: "0000_core", version: "1.0.0", direction: "up", reason: "pending", transaction: true },
      { package: "@ydtb/basic", id: "0000_notes", version: "1.0.0", direction: "up", reason: "pending", transaction: true },
      { package: "@ydtb/basic", id: "0001_pinned", version: "1.1.0", direction: "up", reason: "pending", transaction: true },
      { package: "@ydtb/basic", id: "0002_archive", version: null, direction: "up", reason: "pending", transaction: true },
    ]);
    expect(plan.order).toEqual(["@ydtb/core", "@ydtb/basic"]);
  });

  test("a version target: released migrations up to it (never unreleased ones); dependencies to latest; reasons name the target", () => {
    const plan = planMigrations({ packages: [core, basic], applied: [], target: { kind: "version", package: "@ydtb/basic", version: "1.1.0" } });
    expect(reasons(plan)).toEqual([
      "up @ydtb/core 0000_core — dependency of @ydtb/basic",
      "up @ydtb/basic 0000_notes — @ydtb/basic@1.1.0 includes it (1.0.0)",
      "up @ydtb/basic 0001_pinned — @ydtb/basic@1.1.0 includes it (1.1.0)",
    ]);
  });

  test("down to a version undoes the unreleased and later migrations, newest first; 0.0.0 undoes them all", () => {
    const all = [...coreDone, ...applied("@ydtb/basic", ["0000_notes", "0001_pinned", "0002_archive"], 1)];
    expect(reasons(planMigrations({ packages: [core, basic], applied: all, target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } }))).toEqual([
      "down @ydtb/basic 0002_archive — @ydtb/basic@1.0.0 excludes it (unreleased)",
      "down @ydtb/basic 0001_pinned — @ydtb/basic@1.0.0 excludes it (1.1.0)",
    ]);
    expect(lines(planMigrations({ packages: [core, basic], applied: all, target: { kind: "version", package: "@ydtb/basic", version: "0.0.0" } }))).toEqual([
      "down @ydtb/basic 0002_archive",
      "down @ydtb/basic 0001_pinned",
      "down @ydtb/basic 0000_notes",
    ]);
    // At the version already: nothing to do.
    const at = [...coreDone, ...applied("@ydtb/basic", ["0000_notes"], 1)];
    expect(planMigrations({ packages: [core, basic], applied: at, target: { kind: "version", package: "@ydtb/basic", version: "1.0.0" } }).steps).toEqual([]);
  });

  test("--steps goes by the order migrations were applied, across packages; more steps than applied undoes everything", () => {
    // tasks' 0000 was applied before basic's 0001 (an interleaved history).
    const history: AppliedMigration[] = [
      ...coreDone,
      { package: "@ydtb/basic", id: "0000_notes", checksum: "sum:0000_notes", version: null, order: 2 },
      { package: "@ydtb/tasks", id: "0000_tasks", checksum: "sum:0000_tasks", version: null, order: 3 },
      { package: "@ydtb/basic", id: "0001_pinned", checksum: "sum:0001_pinned", version: null, order: 4 },
    ];
    const two = planMigrations({ packages: [core, basic, tasks], applied: history, target: { kind: "steps", steps: 2 } });
    expect(reasons(two)).toEqual(["down @ydtb/tasks 0000_tasks — one of the last 2 applied", "down @ydtb/basic 0001_pinned — one of the last 2 applied"]);
    const all = planMigrations({ packages: [core, basic, tasks], applied: history, target: { kind: "steps", steps: 10 } });
    expect(lines(all)).toEqual(["down @ydtb/tasks 0000_tasks", "down @ydtb/basic 0001_pinned", "down @ydtb/basic 0000_notes", "down @ydtb/core 0000_core"]);
    const scoped = planMigrations({ packages: [core, basic, tasks], applied: history, target: { kind: "steps", steps: 1, package: "@ydtb/basic" } });
    expect(reasons(scoped)).toEqual(["down @ydtb/basic 0001_pinned — one of the last 1 applied of @ydtb/basic"]);
  });

  test("a cascade names why each dependent step is undone", () => {
    const all = [...coreDone, ...applied("@ydtb/basic", ["0000_notes"], 1), ...applied("@ydtb/tasks", ["0000_tasks", "0001_due"], 2)];
    const plan = planMigrations({ packages: [core, basic, tasks], applied: all, target: { kind: "version", package: "@ydtb/basic", version: "0.0.0" }, cascade: true });
    expect(reasons(plan)).toEqual([
      "down @ydtb/tasks 0001_due — depends on @ydtb/basic (^1.0.0), which is rolled back (cascade)",
      "down @ydtb/tasks 0000_tasks — depends on @ydtb/basic (^1.0.0), which is rolled back (cascade)",
      "down @ydtb/basic 0000_notes — @ydtb/basic@0.0.0 excludes it (1.0.0)",
    ]);
  });

  test("an allowed out-of-order migration says so; refused, it is a conflict and not a step", () => {
    const withGap = pkg("@ydtb/basic", { migrations: ["0000_notes", "0001_late", "0002_archive"] });
    const history = [...coreDone, ...applied("@ydtb/basic", ["0000_notes", "0002_archive"], 1)];
    expect(reasons(planMigrations({ packages: [core, withGap], applied: history, allowOutOfOrder: true }))).toEqual(["up @ydtb/basic 0001_late — pending (out of order, allowed)"]);
    const refused = planMigrations({ packages: [core, withGap], applied: history });
    expect([refused.steps, refused.conflicts.map((c) => [c.kind, c.package, c.id])]).toEqual([[], [["out-of-order", "@ydtb/basic", "0001_late"]]]);
  });

  test("targets that do not exist are refused: package, version, steps below 1", () => {
    const refuse = (target: Parameters<typeof planMigrations>[0]["target"]) => {
      try {
        planMigrations({ packages: [core, basic], applied: coreDone, target });
      } catch (error) {
        return error instanceof UnknownTargetError ? error.code : "other";
      }
      return "planned";
    };
    expect([
      refuse({ kind: "version", package: "@ydtb/nope", version: "1.0.0" }),
      refuse({ kind: "version", package: "@ydtb/basic", version: "1.2.0" }),
      refuse({ kind: "steps", steps: 0 }),
      refuse({ kind: "steps", steps: 1.5 }),
      refuse({ kind: "steps", steps: 1, package: "@ydtb/nope" }),
      refuse({ kind: "version", package: "@ydtb/basic", version: "0.0.0" }),
    ]).toEqual(["UNKNOWN_TARGET", "UNKNOWN_TARGET", "UNKNOWN_TARGET", "UNKNOWN_TARGET", "UNKNOWN_TARGET", "planned"]);
  });

  test("a changed checksum names the SQL file and both checksums' first 12 characters; a TypeScript migration names no file", () => {
    const history = [...coreDone, { package: "@ydtb/basic", id: "0000_notes", checksum: "0123456789abcdefXYZ", version: null, order: 2 }];
    const edited = pkg("@ydtb/basic", { migrations: [{ id: "0000_notes", checksum: "fedcba9876543210XYZ" }] });
    const [conflict] = planMigrations({ packages: [core, edited], applied: history }).conflicts;
    expect(conflict).toMatchObject({ kind: "checksum-mismatch", package: "@ydtb/basic", id: "0000_notes" });
    expect(conflict!.message).toContain(`"@ydtb/basic" migration "0000_notes" (/fixtures/@ydtb/basic/0000_notes.sql) changed after it was applied (checksum 0123456789ab… in the database, fedcba987654… now)`);
    const ts = pkg("@ydtb/basic", { migrations: [{ id: "0000_notes", checksum: "fedcba9876543210XYZ", up: { kind: "typescript" as const, run: () => {}, transaction: true } }] });
    expect(planMigrations({ packages: [core, ts], applied: history }).conflicts[0]!.message).toStartWith(`"@ydtb/basic" migration "0000_notes" changed after it was applied`);
  });
});
