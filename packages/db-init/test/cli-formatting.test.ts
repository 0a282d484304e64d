import { describe, expect, test } from "bun:test";
import type { MigrationPlan } from "@ydtb/db-migrate";
import { colorsFor, formatWait } from "../src/cli/colors.ts";
import { formatBaseline, formatPlan, formatProgress, formatStatus } from "../src/cli/format-output.ts";
import type { DatabaseStatus } from "../src/database-status.ts";

const plain = colorsFor({ isTTY: false, env: {} });
const RED = "\u001b[31m";

describe("colours and waits", () => {
  test("colour on a terminal; NO_COLOR (non-empty) turns it off; FORCE_COLOR decides over the terminal", () => {
    const on = (isTTY: boolean, env: Record<string, string>) => colorsFor({ isTTY, env }).red("x") !== "x";
    expect([on(true, {}), on(false, {}), on(true, { NO_COLOR: "1" }), on(true, { NO_COLOR: "" }), on(true, { FORCE_COLOR: "0" }), on(false, { FORCE_COLOR: "1" }), on(false, { NO_COLOR: "1", FORCE_COLOR: "1" })]).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(colorsFor({ isTTY: true, env: {} }).red("x")).toStartWith(RED);
  });

  test("waits under a second in ms, else in rounded seconds", () => {
    expect([formatWait(0), formatWait(999), formatWait(1000), formatWait(1499), formatWait(1500), formatWait(60_000)]).toEqual(["0 ms", "999 ms", "1 s", "1 s", "2 s", "60 s"]);
  });
});

describe("formatPlan", () => {
  const step = (id: string, direction: "up" | "down" = "up") => ({ package: "@ydtb/basic", id, version: null, direction, reason: "pending", transaction: true });
  test("numbered steps, singular and plural; nothing to do; packages running behind", () => {
    expect(formatPlan({ steps: [step("0001_a")], ahead: [], heldBack: [] }, plain)).toBe("1 step:\n    1. up   @ydtb/basic 0001_a — pending");
    expect(formatPlan({ steps: [step("0001_a"), step("0000_b", "down")], ahead: [], heldBack: [] }, plain).split("\n")).toEqual([
      "2 steps:",
      "    1. up   @ydtb/basic 0001_a — pending",
      "    2. down @ydtb/basic 0000_b — pending",
    ]);
    const behind: Pick<MigrationPlan, "steps" | "ahead" | "heldBack"> = {
      steps: [],
      ahead: [{ package: "@ydtb/basic", codeVersion: "1.0.0", databaseVersion: "1.1.0", migrations: [{ id: "0001_pinned", version: "1.1.0" }] }],
      heldBack: [{ package: "@ydtb/tasks", pending: ["0000_t"], dependency: "@ydtb/basic", range: "~1.0.0", databaseVersion: "1.1.0" }],
    };
    expect(formatPlan(behind, plain).split("\n")).toEqual([
      "Nothing to do: the database is up to date.",
      "Running behind a newer database:",
      "  @ydtb/basic: the database is at 1.1.0, ahead of this code (1.0.0); not migrated",
      "  @ydtb/tasks: held back, it needs @ydtb/basic ~1.0.0 (1.1.0 in the database); pending 0000_t",
    ]);
  });
});

describe("formatProgress", () => {
  const base = { index: 0, total: 3, direction: "up" as const, package: "@ydtb/basic", id: "0001_a" };
  test("one line per event, 1-based, with the time once finished; a retry names who blocks", () => {
    expect(formatProgress({ ...base, status: "running" }, plain)).toBe("[1/3] running up @ydtb/basic 0001_a");
    expect(formatProgress({ ...base, index: 2, status: "applied", ms: 12.34 }, plain)).toBe("[3/3] applied up @ydtb/basic 0001_a (12.3 ms)");
    expect(formatProgress({ ...base, status: "failed", ms: 0 }, colorsFor({ isTTY: true, env: {} }))).toContain(`${RED}failed`);
    expect(formatProgress({ ...base, status: "retrying", attempt: 1, attempts: 3, retryInMs: 200, lockTimeoutMs: 50 }, plain)).toBe(
      "[1/3] lock wait of 50 ms timed out (attempt 1/3) for @ydtb/basic 0001_a, blocked by another session; rolled back, retrying in 200 ms",
    );
    const blockers = [{ pid: 42, applicationName: "psql", state: "idle in transaction", query: "LOCK t", since: null }];
    expect(formatProgress({ ...base, status: "retrying", attempt: 2, attempts: 3, retryInMs: 400, lockTimeoutMs: 50, blockers }, plain)).toContain(
      `(attempt 2/3) for @ydtb/basic 0001_a, blocked by pid 42 ("psql", idle in transaction): LOCK t; rolled back`,
    );
  });
});

describe("formatStatus", () => {
  const pkg = (over: Partial<DatabaseStatus["packages"][number]> = {}): DatabaseStatus["packages"][number] => ({
    package: "@ydtb/basic",
    codeVersion: "1.1.0",
    databaseVersion: "1.0.0",
    applied: ["0000_notes"],
    pending: ["0001_pinned"],
    missing: [],
    notInCode: [],
    ahead: false,
    changed: [],
    lastAppliedAt: new Date("2026-01-02T03:04:05.000Z"),
    tools: [],
    rlsDrift: [],
    ...over,
  }) as DatabaseStatus["packages"][number];

  test("a block per package: versions, counts, pending, last applied; tools; a line per migration", () => {
    const text = formatStatus(
      {
        database: "pglite (memory)",
        packages: [
          pkg({
            tools: [{ id: "notes", name: "Notes", active: true }, { id: "old", name: "Old", active: false }],
            migrations: [
              { id: "0000_notes", version: "1.0.0", state: "applied", appliedAt: "2026-01-02T03:04:05.000Z", appliedBy: "me@host pid 1" },
              { id: "0001_pinned", version: null, state: "pending", appliedAt: null, appliedBy: null },
            ],
          }),
          pkg({ package: "@ydtb/core", codeVersion: "1.0.0", databaseVersion: null, applied: [], pending: [], lastAppliedAt: null }),
        ],
      },
      plain,
    );
    expect(text.split("\n")).toEqual([
      "Database: pglite (memory)",
      "@ydtb/basic",
      "  code 1.1.0 · database 1.0.0 · 1 applied · 1 pending (0001_pinned) · last applied 2026-01-02T03:04:05.000Z",
      "  tools: notes, old (inactive)",
      `    ${"0000_notes".padEnd(28)} ${"1.0.0".padEnd(10)} ${"applied".padEnd(8)} 2026-01-02T03:04:05.000Z by me@host pid 1`,
      `    ${"0001_pinned".padEnd(28)} ${"unreleased".padEnd(10)} ${"pending".padEnd(8)}`,
      "@ydtb/core",
      "  code 1.0.0 · database none · 0 applied · 0 pending · last applied never",
    ]);
  });

  test("ahead, missing and changed migrations each get their line", () => {
    const notInCode = [{ id: "0002_x", version: "1.2.0" }, { id: "0003_y", version: null }];
    const lines = (over: Partial<DatabaseStatus["packages"][number]>) => formatStatus({ database: "d", packages: [pkg(over)] }, plain).split("\n").slice(3);
    expect(lines({ ahead: true, missing: ["0002_x", "0003_y"], notInCode, databaseVersion: "1.2.0" })).toEqual([
      "  applied, not in this code: 0002_x (1.2.0), 0003_y (unreleased) — the database is ahead of this code (1.2.0 > 1.1.0)",
    ]);
    expect(lines({ missing: ["0002_x"], notInCode: [notInCode[0]!] })).toEqual(["  applied but no longer in the code: 0002_x (1.2.0) — restore the files (applied migrations are never deleted)"]);
    expect(lines({ changed: ["0000_notes"] })).toEqual(["  changed since applied: 0000_notes (ydtb-db repair, if deliberate)"]);
  });
});

describe("formatBaseline", () => {
  const entry = (id: string) => ({ package: "@ydtb/basic", id, direction: "up" as const, source: `drizzle row ${id}` });
  test("adopted, dry run, already recorded, nothing to adopt", () => {
    expect(formatBaseline({ adopted: [entry("0000_a")], alreadyApplied: [entry("0001_b")], dryRun: false }, plain).split("\n")).toEqual([
      "1 migration adopted (recorded as applied, not run):",
      "  adopted @ydtb/basic 0000_a (drizzle row 0000_a)",
      "  1 already recorded: @ydtb/basic 0001_b",
      "Next: `ydtb-db status --migrations`, then `ydtb-db migrate` applies what drizzle never ran.",
    ]);
    expect(formatBaseline({ adopted: [entry("0000_a"), entry("0001_b")], alreadyApplied: [], dryRun: true }, plain).split("\n")).toEqual([
      "2 migrations would adopt (recorded as applied, not run) — dry run, nothing recorded:",
      "  would adopt @ydtb/basic 0000_a (drizzle row 0000_a)",
      "  would adopt @ydtb/basic 0001_b (drizzle row 0001_b)",
    ]);
    expect(formatBaseline({ adopted: [], alreadyApplied: [], dryRun: false }, plain)).toBe("Nothing to adopt: every matched migration is already recorded.");
  });
});
