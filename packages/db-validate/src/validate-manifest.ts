import type { DatabaseManifest, Diagnostic, ValidationOutcome } from "@ydtb/db-registry";
import { applyExemptions } from "./exemptions.ts";
import { buildTableIndex, createRuleContext, type TableIndex } from "./rule.ts";
import { RULES } from "./rules/index.ts";
import { renderFixes } from "./suggested-fix.ts";

const RULE_NAMES = RULES.map((r) => r.name);

/**
 * Validates one package's manifest against the workspace-isolation rules, seeing the
 * `registered` manifests of other packages (for foreign-key targets in other packages,
 * dependencies and table ownership; a manifest of the same package name among them is
 * ignored). Matches `ManifestValidator` of @ydtb/db-registry.
 * Diagnostics silenced by the manifest's exemptions come back in `exempted`.
 *
 * @example
 * const { diagnostics, exempted } = validateManifest(notesManifest, [coreDatabase]);
 * const registry = createRegistry({ validate: validateManifest }); // throws SchemaValidationError on errors
 */
export function validateManifest(manifest: DatabaseManifest, registered: readonly DatabaseManifest[] = []): ValidationOutcome {
  // `registered` means the other packages: an earlier manifest of this package (a development
  // re-registration, or `registry.list()` passed as is) is the one being replaced, not a rival.
  return validateIndexed(manifest, buildTableIndex([manifest, ...registered.filter((m) => m.packageName !== manifest.packageName)]));
}

/**
 * Runs every rule on `manifest` with an index of every package's tables built by the caller
 * (once for a whole set), then applies the manifest's exemptions.
 *
 * @example
 * const index = buildTableIndex(manifests);
 * manifests.map((m) => validateIndexed(m, index));
 */
export function validateIndexed(manifest: DatabaseManifest, index: TableIndex): ValidationOutcome {
  const found: Diagnostic[] = [];
  const ctx = createRuleContext(manifest, index, found, RULE_NAMES);
  for (const rule of RULES) {
    rule.check(ctx, (finding) => {
      found.push({
        rule: rule.name,
        severity: rule.severity,
        package: manifest.packageName,
        ...(finding.table !== undefined ? { table: finding.table } : {}),
        ...(finding.column !== undefined ? { column: finding.column } : {}),
        ...(finding.constraint !== undefined ? { constraint: finding.constraint } : {}),
        ...(finding.index !== undefined ? { index: finding.index } : {}),
        message: finding.message,
        ...(finding.suggestion !== undefined ? { suggestion: finding.suggestion } : finding.fixes?.length ? { suggestion: renderFixes(finding.fixes) } : {}),
        ...(finding.fixes?.length ? { fixes: finding.fixes } : {}),
      });
    });
  }
  return applyExemptions(found, manifest.exemptions);
}
