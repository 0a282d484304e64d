import { describe, expect, test } from "bun:test";
import coreDatabase from "../../db-core/src/database.ts";
import basicDatabase from "../../basic/src/database.ts";
import { validateManifest, validateManifests, formatValidationReport } from "../src/index.ts";

describe("the real manifests", () => {
  test("@ydtb/core validates with no error and no warning", () => {
    const outcome = validateManifest(coreDatabase);
    expect(outcome.diagnostics).toEqual([]);
    expect(outcome.exempted).toEqual([]);
  });

  test("@ydtb/basic validates against @ydtb/core with no error and no warning", () => {
    const report = validateManifests([coreDatabase, basicDatabase]);
    console.log(formatValidationReport(report));
    expect(report.packages.flatMap((p) => p.diagnostics)).toEqual([]);
    expect(report.errorCount + report.warningCount).toBe(0);
  });
});
