import type { DatabaseManifest, Diagnostic, ExemptedDiagnostic } from "@ydtb/db-registry";
import { buildTableIndex } from "./rule.ts";
import { validateIndexed } from "./validate-manifest.ts";

/**
 * The diagnostics of one package in a {@link ValidationReport}.
 *
 * @example
 * { package: "@ydtb/notes", diagnostics: [{ rule: "naming", severity: "warning", … }], exempted: [] }
 */
export interface PackageReport {
  readonly package: string;
  /** Errors and warnings that stand. */
  readonly diagnostics: readonly Diagnostic[];
  /** Diagnostics silenced by the package's exemptions, with their reasons. */
  readonly exempted: readonly ExemptedDiagnostic[];
}

/**
 * What {@link validateManifests} returns: plain data, safe to `JSON.stringify`.
 *
 * @example
 * const report = validateManifests(manifests);
 * console.log(JSON.stringify(report)); // { packages: [...], errorCount: 0, warningCount: 2 }
 */
export interface ValidationReport {
  /** One entry per manifest, in the order given. */
  readonly packages: readonly PackageReport[];
  readonly errorCount: number;
  readonly warningCount: number;
}

/**
 * Validates a whole set of manifests, each against the others (as if all were registered),
 * building the table index once.
 *
 * @example
 * const { manifests } = await discoverDatabases(root);
 * const report = validateManifests(manifests);
 * if (report.errorCount > 0) process.exitCode = 1;
 * console.log(formatValidationReport(report));
 */
export function validateManifests(manifests: readonly DatabaseManifest[]): ValidationReport {
  const index = buildTableIndex(manifests);
  let errorCount = 0;
  let warningCount = 0;
  const packages = manifests.map((manifest): PackageReport => {
    const { diagnostics, exempted } = validateIndexed(manifest, index);
    for (const d of diagnostics) {
      if (d.severity === "error") errorCount++;
      else warningCount++;
    }
    return { package: manifest.packageName, diagnostics, exempted };
  });
  return { packages, errorCount, warningCount };
}
