import { describe, expect, test } from "bun:test";
import { formatInitReport, type InitReport } from "../src/index.ts";

/** A report with fixed timings, so the text is exact. */
const report = (overrides: Partial<InitReport> = {}): InitReport => ({
  ok: true,
  database: "pglite (memory)",
  mode: "production",
  packages: [
    { name: "@ydtb/basic", version: "1.1.0", databaseVersion: "1.1.0", tables: 2 },
    { name: "@ydtb/core", version: "1.0.0", databaseVersion: "1.0.0", tables: 5 },
  ],
  discoveryFailures: [],
  errors: [],
  warnings: [],
  exempted: [],
  steps: [],
  ahead: [],
  heldBack: [],
  applied: 0,
  skipped: 0,
  queryCount: 2,
  ms: { discover: 1.25, register: 0.5, validate: 2, migrate: 10, sync: 0, total: 14.4 },
  ...overrides,
});

describe("formatInitReport", () => {
  test("a no-op boot: one line with packages, nothing applied, no warnings, phases and total", () => {
    expect(formatInitReport(report())).toBe(
      "ydtb-db: database ready (pglite (memory)) — 2 packages, 0 migrations applied, 0 warnings; 14 ms (discover 1.3, register 0.5, validate 2.0, migrate 10.0, sync 0.0)",
    );
  });

  test("applied, failed and skipped steps; counts say up, down or both", () => {
    const steps: InitReport["steps"] = [
      { package: "@ydtb/basic", id: "0001_pinned", direction: "up", status: "applied", ms: 3.21 },
      { package: "@ydtb/basic", id: "0002_x", direction: "up", status: "failed", ms: 1, error: "relation missing" },
      { package: "@ydtb/basic", id: "0003_y", direction: "up", status: "skipped", ms: 0 },
    ];
    const text = formatInitReport(report({ ok: false, failedPhase: "migrate", error: { code: "MIGRATION_FAILED", message: "0002_x failed" }, steps, applied: 1, skipped: 1, packages: [report().packages[0]!] }), { command: "migrate" });
    expect(text.split("\n")).toEqual([
      "ydtb-db: database NOT ready (pglite (memory)) — 1 package, 1 migration applied, 0 warnings; 14 ms (discover 1.3, register 0.5, validate 2.0, migrate 10.0, sync 0.0)",
      "",
      "migrate failed in the migrate phase: [MIGRATION_FAILED] 0002_x failed",
      "",
      "Migrations:",
      "  applied up   @ydtb/basic 0001_pinned (3.2 ms)",
      "  failed  up   @ydtb/basic 0002_x (1.0 ms)",
      "          relation missing",
      "  1 step skipped (not run, or rolled back with the whole plan in \"all\" mode)",
    ]);
    const down = (n: number, up: number): InitReport["steps"] => [
      ...Array.from({ length: n }, (_, i) => ({ package: "@ydtb/basic", id: `d${i}`, direction: "down" as const, status: "applied" as const, ms: 1 })),
      ...Array.from({ length: up }, (_, i) => ({ package: "@ydtb/basic", id: `u${i}`, direction: "up" as const, status: "applied" as const, ms: 1 })),
    ];
    const head = (steps: InitReport["steps"]) => formatInitReport(report({ steps })).split("\n")[0]!.split(", ")[1];
    expect([head(down(1, 0)), head(down(2, 0)), head(down(1, 2)), head(down(0, 1))]).toEqual(["1 migration undone", "2 migrations undone", "2 applied", "1 migration applied"]);
    expect(formatInitReport(report({ steps: down(1, 2) })).split("\n")[0]).toContain(", 2 applied, 1 undone, ");
    expect(formatInitReport(report({ skipped: 2 }))).toContain("\n  2 steps skipped");
  });

  test("a failure without a command names the phase; warnings count ahead and held-back packages", () => {
    const ahead: InitReport["ahead"] = [{ package: "@ydtb/basic", codeVersion: "1.0.0", databaseVersion: "1.1.0", migrations: [{ id: "0001_pinned", version: "1.1.0" }] }];
    const heldBack: InitReport["heldBack"] = [{ package: "@ydtb/tasks", pending: ["0000_t", "0001_u"], dependency: "@ydtb/basic", range: "~1.0.0", databaseVersion: "1.1.0" }];
    const lines = formatInitReport(report({ ahead, heldBack })).split("\n");
    expect(lines[0]).toContain(", 2 warnings;");
    expect(lines.slice(1)).toEqual([
      "",
      "warning: database ahead of this code — @ydtb/basic is at 1.1.0 in the database, this code is 1.0.0; not migrated (applied, not in this code: 0001_pinned (1.1.0)). Expected while a newer release rolls out; set YDTB_DB_STRICT_VERSIONS=1 to refuse instead.",
      "",
      "warning: @ydtb/tasks not migrated — it needs @ydtb/basic ~1.0.0, which is 1.1.0 in the database; pending: 0000_t, 0001_u",
    ]);
    expect(formatInitReport(report({ ok: false, failedPhase: "validate", error: { code: "SCHEMA_VALIDATION_FAILED", message: "1 schema error" } })).split("\n").slice(1)).toEqual([
      "",
      "validate failed: [SCHEMA_VALIDATION_FAILED] 1 schema error",
    ]);
    expect(formatInitReport(report({ ok: false, error: { code: "UNEXPECTED", message: "boom" } })).split("\n").slice(1)).toEqual(["", "failed: [UNEXPECTED] boom"]);
  });

  test("discovery failures, schema errors and warnings with locations and fixes, exemptions", () => {
    const text = formatInitReport(
      report({
        ok: false,
        discoveryFailures: [{ package: "@ydtb/broken", file: "/w/packages/broken/src/database.ts", message: "SyntaxError" }],
        errors: [{ rule: "workspace-column", severity: "error", package: "@ydtb/x", table: "ydtb_x_t", column: "id", message: "no workspace", suggestion: "add it\nthen this" }],
        warnings: [{ rule: "documentation", severity: "warning", package: "@ydtb/x", message: "describe it" }],
        exempted: [
          { diagnostic: { rule: "naming", severity: "error", package: "@ydtb/x", table: "ydtb_x_t", column: "Bad", message: "m" }, reason: "legacy" },
          { diagnostic: { rule: "workspace-rls", severity: "error", package: "@ydtb/x", table: "ydtb_x_u", message: "m" }, reason: "public rows" },
        ],
      }),
    );
    expect(text.split("\n").slice(1)).toEqual([
      "",
      "Manifests that failed to load:",
      "  @ydtb/broken (/w/packages/broken/src/database.ts): SyntaxError",
      "",
      "Schema errors:",
      "  [workspace-column] @ydtb/x ydtb_x_t.id: no workspace",
      "      fix: add it",
      "           then this",
      "",
      "Schema warnings:",
      "  [documentation] @ydtb/x: describe it",
      "",
      "Exempted:",
      "  [naming] @ydtb/x ydtb_x_t.Bad — legacy",
      "  [workspace-rls] @ydtb/x ydtb_x_u — public rows",
    ]);
  });
});
