import { describe, expect, test } from "bun:test";
import { DatabaseAheadError, planMigrations, type AppliedMigration } from "../src/index.ts";
import { applied, lines, pkg } from "./builders.ts";

// The next release (1.1.0) of @ydtb/basic added 0001_pinned; its database is what the previous
// release's code (1.0.0, without that file) finds during a rolling deploy.
const core = pkg("@ydtb/core", { migrations: ["0000_core"], released: { "1.0.0": ["0000_core"] } });
const basicOld = pkg("@ydtb/basic", { version: "1.0.0", migrations: ["0000_notes"], released: { "1.0.0": ["0000_notes"] } });
const migratedByNext: AppliedMigration[] = [
  ...applied("@ydtb/core", ["0000_core"]).map((a) => ({ ...a, version: "1.0.0" })),
  { package: "@ydtb/basic", id: "0000_notes", checksum: "sum:0000_notes", version: "1.0.0", order: 2 },
  { package: "@ydtb/basic", id: "0001_pinned", checksum: "sum:0001_pinned", version: "1.1.0", order: 3 },
];

describe("newer database, older code", () => {
  test("all of the code's migrations applied: nothing to do, the package is reported ahead with both versions", () => {
    const plan = planMigrations({ packages: [core, basicOld], applied: migratedByNext });
    expect(plan.conflicts).toEqual([]);
    expect(plan.steps).toEqual([]);
    expect(plan.ahead).toEqual([{ package: "@ydtb/basic", codeVersion: "1.0.0", databaseVersion: "1.1.0", migrations: [{ id: "0001_pinned", version: "1.1.0" }] }]);
    expect(plan.heldBack).toEqual([]);
  });

  test("other packages still migrate; a dependent whose range accepts the newer version migrates too", () => {
    const tasks = pkg("@ydtb/tasks", { deps: { "@ydtb/basic": "^1.0.0" }, migrations: ["0000_tasks"] });
    const plan = planMigrations({ packages: [core, basicOld, tasks], applied: migratedByNext });
    expect(lines(plan)).toEqual(["up @ydtb/tasks 0000_tasks"]);
  });

  test("a dependent whose range refuses the database's version is held back, and so are its dependents", () => {
    const tasks = pkg("@ydtb/tasks", { deps: { "@ydtb/basic": "~1.0.0" }, migrations: ["0000_tasks"] });
    const board = pkg("@ydtb/board", { deps: { "@ydtb/tasks": "*" }, migrations: ["0000_board"] });
    const other = pkg("@ydtb/other", { migrations: ["0000_other"] });
    const plan = planMigrations({ packages: [core, basicOld, tasks, board, other], applied: migratedByNext });
    expect(lines(plan)).toEqual(["up @ydtb/other 0000_other"]);
    expect(plan.heldBack).toEqual([
      { package: "@ydtb/tasks", pending: ["0000_tasks"], dependency: "@ydtb/basic", range: "~1.0.0", databaseVersion: "1.1.0" },
      { package: "@ydtb/board", pending: ["0000_board"], dependency: "@ydtb/tasks", range: "*", databaseVersion: "held back" },
    ]);
  });

  test("an applied migration missing from within the code's own versions stays a missing-file conflict", () => {
    const renamed = pkg("@ydtb/basic", { version: "1.1.0", migrations: ["0000_notes", "0001_pinned_renamed"], released: { "1.0.0": ["0000_notes"], "1.1.0": ["0001_pinned_renamed"] } });
    const plan = planMigrations({ packages: [core, renamed], applied: migratedByNext });
    expect(plan.ahead).toEqual([]);
    expect(plan.conflicts.map((c) => [c.kind, c.id])).toEqual([["missing-file", "0001_pinned"]]);
  });

  test("a missing migration recorded as unreleased is not proof of a later release: a conflict", () => {
    const rows = migratedByNext.map((a) => (a.id === "0001_pinned" ? { ...a, version: null } : a));
    const plan = planMigrations({ packages: [core, basicOld], applied: rows });
    expect(plan.conflicts.map((c) => [c.kind, c.id])).toEqual([["missing-file", "0001_pinned"]]);
  });

  test("the code's own migration not applied while the database is ahead: refused, it cannot run behind", () => {
    const withUnreleased = pkg("@ydtb/basic", { version: "1.0.0", migrations: ["0000_notes", "0001_local"], released: { "1.0.0": ["0000_notes"] } });
    const plan = planMigrations({ packages: [core, withUnreleased], applied: migratedByNext });
    expect(plan.conflicts.map((c) => [c.kind, c.package, c.id])).toEqual([["database-ahead", "@ydtb/basic", "0001_local"]]);
  });

  test("a version target or a rollback needs the later release's files: refused", () => {
    const plan = planMigrations({ packages: [core, basicOld], applied: migratedByNext, target: { kind: "steps", steps: 1 } });
    expect(plan.conflicts.map((c) => c.kind)).toEqual(["database-ahead"]);
  });

  test("DatabaseAheadError names both versions and the migrations", () => {
    const plan = planMigrations({ packages: [core, basicOld], applied: migratedByNext });
    const error = new DatabaseAheadError(plan.ahead);
    expect(error.code).toBe("DATABASE_AHEAD");
    expect(error.ahead[0]).toMatchObject({ databaseVersion: "1.1.0", codeVersion: "1.0.0" });
  });
});
