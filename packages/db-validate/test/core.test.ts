import { describe, expect, test } from "bun:test";
import coreDatabase from "../../db-core/src/database.ts";
import basicDatabase from "../../basic/src/database.ts";
import { createValidatingRegistry, validateManifest, validateManifests } from "../src/index.ts";

describe("the real manifests", () => {
  test("@ydtb/core validates with no error and no warning", () => {
    const outcome = validateManifest(coreDatabase);
    expect(outcome.diagnostics).toEqual([]);
    expect(outcome.exempted).toEqual([]);
  });

  test("@ydtb/basic validates against @ydtb/core with no error and no warning", () => {
    const report = validateManifests([coreDatabase, basicDatabase]);
    expect(report.packages.flatMap((p) => p.diagnostics)).toEqual([]);
    expect(report.errorCount + report.warningCount).toBe(0);
  });

  test("@ydtb/core then @ydtb/basic register through the validating registry with no warning", () => {
    const registry = createValidatingRegistry();
    expect(registry.registerDatabase(coreDatabase).warnings).toEqual([]);
    expect(registry.registerDatabase(basicDatabase).warnings).toEqual([]);
  });
});
