import { describe, expect, test } from "bun:test";
import type { Diagnostic } from "@ydtb/db-registry";
import { formatValidationReport, type PackageReport, type ValidationReport } from "../src/index.ts";

// The whole text of a report built by hand: every line the CLI prints, pinned.

const d = (over: Partial<Diagnostic>): Diagnostic => ({ rule: "naming", severity: "warning", package: "@ydtb/a", message: "m", ...over });
const pkgReport = (over: Partial<PackageReport> & Pick<PackageReport, "package" | "diagnostics">): PackageReport => {
  const errorCount = over.diagnostics.filter((x) => x.severity === "error").length;
  return { ok: errorCount === 0, errorCount, warningCount: over.diagnostics.length - errorCount, exempted: [], ignoredExports: [], ...over };
};
const report = (packages: PackageReport[]): ValidationReport => {
  const errorCount = packages.reduce((n, p) => n + p.errorCount, 0);
  return { ok: errorCount === 0, packages, errorCount, warningCount: packages.reduce((n, p) => n + p.warningCount, 0) };
};

describe("formatValidationReport, line by line", () => {
  const a = pkgReport({
    package: "@ydtb/a",
    diagnostics: [
      d({ rule: "graph", severity: "error", message: "package-level" }),
      d({ rule: "unique-includes-workspace", severity: "error", table: "ydtb_a_t", column: "code", constraint: "ydtb_a_t_code_unique", message: "one", suggestion: "fix\nmore" }),
      d({ rule: "naming", table: "ydtb_a_t", index: "ydtb_a_T_idx", message: "two" }),
      d({ rule: "documentation", table: "ydtb_a_t", message: "undocumented table" }),
      d({ rule: "documentation", table: "ydtb_a_t", column: "code", message: "c" }),
      d({ rule: "documentation", table: "ydtb_a_t", column: "title", message: "c" }),
      d({ rule: "documentation", table: "ydtb_a_u", column: "x", message: "c" }),
    ],
    exempted: [{ diagnostic: d({ rule: "column-types", table: "ydtb_a_t", column: "title" }), reason: "capped" }],
    ignoredExports: ["helper", "LIMIT"],
  });
  const b = pkgReport({ package: "@ydtb/b", diagnostics: [d({ table: "ydtb_b_t", message: "warn" })] });
  const c = pkgReport({ package: "@ydtb/c", diagnostics: [] });

  test("totals, locations, indented messages and fixes, documentation summed per table, exemptions, ignored exports", () => {
    expect(formatValidationReport(report([a, b, c])).split("\n")).toEqual([
      "@ydtb/a: 2 errors, 5 warnings, 1 exempted",
      "  error [graph] (package)",
      "    package-level",
      "  error [unique-includes-workspace] ydtb_a_t.code (ydtb_a_t_code_unique)",
      "    one",
      "      fix",
      "      more",
      "  warning [naming] ydtb_a_t (ydtb_a_T_idx)",
      "    two",
      "  warning [documentation] ydtb_a_t: the table and 2 columns undescribed (code, title); add them to the manifest's descriptions (--verbose lists each)",
      "  warning [documentation] ydtb_a_u: 1 column undescribed (x); add them to the manifest's descriptions (--verbose lists each)",
      "  exempted warning [column-types] ydtb_a_t.title: capped",
      "  info: schema exports that are no Drizzle object were ignored: helper, LIMIT",
      "@ydtb/b: ok, 0 errors, 1 warning",
      "  warning [naming] ydtb_b_t",
      "    warn",
      "@ydtb/c: ok",
      "",
      "2 errors, 6 warnings in 3 packages",
    ]);
  });

  test("verbose lists each documentation warning; a clean report says ok", () => {
    const lines = formatValidationReport(report([a]), { verbose: true }).split("\n");
    expect(lines.filter((l) => l.includes("[documentation]"))).toEqual([
      "  warning [documentation] ydtb_a_t",
      "  warning [documentation] ydtb_a_t.code",
      "  warning [documentation] ydtb_a_t.title",
      "  warning [documentation] ydtb_a_u.x",
    ]);
    expect(formatValidationReport(report([c]))).toBe("@ydtb/c: ok\n\nok: 0 errors, 0 warnings in 1 package");
    expect(formatValidationReport(report([]))).toBe("ok: 0 errors, 0 warnings in 0 packages");
  });

  test("a table with only its own description missing says so, and an error of the documentation rule is not summed", () => {
    const only = pkgReport({ package: "@ydtb/d", diagnostics: [d({ rule: "documentation", table: "ydtb_d_t", message: "t" }), d({ rule: "documentation", severity: "error", table: "ydtb_d_u", message: "e" })] });
    expect(formatValidationReport(report([only])).split("\n").slice(1, 4)).toEqual([
      "  error [documentation] ydtb_d_u",
      "    e",
      "  warning [documentation] ydtb_d_t: the table undescribed (table); add them to the manifest's descriptions (--verbose lists each)",
    ]);
  });
});
