import { expect, test } from "bun:test";
import { DEFAULT_TARGET } from "@ydtb/db-migrate";
import type { StampAnswer } from "@ydtb/db-migrate/boot-stamp";
import { stampedMigration, stampEligible } from "../src/stamp/init-stamp.ts";
import { stampReport } from "../src/stamp/stamp-report.ts";

const answer: StampAnswer = {
  order: ["@ydtb/core", "@ydtb/basic"],
  packages: [{ name: "@ydtb/core", version: "1.2.0", databaseVersion: "1.2.0", tables: 3, source: "/r/packages/db-core/src/database.ts" }],
  versions: [{ package: "@ydtb/core", codeVersion: "1.2.0", databaseVersion: "1.2.0", appliedCount: 3 }],
  warnings: [{ rule: "documentation", severity: "warning", package: "@ydtb/core", message: "m" }],
  exempted: [],
  toolsSynced: true,
};

test("the stamp stands only for a full production boot to the latest versions", () => {
  expect(stampEligible({}, "production")).toBe(true);
  expect(stampEligible({ migrate: { target: { kind: "latest" } } }, "production")).toBe(true);
  // syncTools is decided by the stamp's own record, not here.
  expect(stampEligible({ syncTools: false, migrate: { fingerprints: true } }, "production")).toBe(true);
  const refused: [string, Parameters<typeof stampEligible>[0], "development" | "production"][] = [
    ["development", {}, "development"],
    ["--package", { partial: true }, "production"],
    ["a version target", { migrate: { target: { kind: "version" } } }, "production"],
    ["a steps target", { migrate: { target: { kind: "steps" } } }, "production"],
    ["a dry run", { migrate: { dryRun: true } }, "production"],
    ["no fingerprints", { migrate: { fingerprints: false } }, "production"],
  ];
  expect(refused.filter(([, options, mode]) => stampEligible(options, mode)).map(([what]) => what)).toEqual([]);
});

test("a stamped no-op is the planner's no-op: no step, one query, the recorded versions", () => {
  expect(stampedMigration(answer, 4.5)).toEqual({
    plan: { target: DEFAULT_TARGET, order: ["@ydtb/core", "@ydtb/basic"], steps: [], conflicts: [], ahead: [], heldBack: [] },
    steps: [],
    applied: 0,
    skipped: 0,
    failed: 0,
    queryCount: 1,
    ms: 4.5,
    versions: answer.versions,
    dryRun: false,
    fastPath: true,
  });
});

test("the stamped report is the full no-op's: packages and warnings as recorded, nothing applied, tools untouched", () => {
  expect(stampReport(answer, "postgres://app:***@db/x", { discover: 1, total: 2 })).toEqual({
    ok: true,
    database: "postgres://app:***@db/x",
    mode: "production",
    packages: answer.packages,
    discoveryFailures: [],
    errors: [],
    warnings: answer.warnings as never,
    exempted: [],
    steps: [],
    ahead: [],
    heldBack: [],
    applied: 0,
    skipped: 0,
    tools: { inserted: 0, updated: 0, deactivated: 0 },
    queryCount: 1,
    bootStamp: true,
    ms: { discover: 1, total: 2 },
  });
});
