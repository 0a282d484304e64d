import type { Diagnostic, ExemptedDiagnostic, Exemption } from "@ydtb/db-registry";

/**
 * True when an exemption silences a diagnostic: same rule, same table, and same column when
 * the exemption names one (an exemption without a column covers the whole table).
 *
 * @example
 * exemptionMatches({ rule: "naming", table: "ydtb_x", reason: "legacy" }, diagnostic);
 */
export function exemptionMatches(exemption: Exemption, diagnostic: Diagnostic): boolean {
  return (
    exemption.rule === diagnostic.rule &&
    exemption.table === diagnostic.table &&
    (exemption.column === undefined || exemption.column === diagnostic.column)
  );
}

/**
 * Splits diagnostics into those that stand and those a manifest exemption silences (with
 * its reason). `unused-exemption` diagnostics are never silenced.
 *
 * @example
 * const { diagnostics, exempted } = applyExemptions(found, manifest.exemptions);
 */
export function applyExemptions(
  found: readonly Diagnostic[],
  exemptions: readonly Exemption[],
): { diagnostics: Diagnostic[]; exempted: ExemptedDiagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const exempted: ExemptedDiagnostic[] = [];
  for (const diagnostic of found) {
    const exemption = diagnostic.rule === "unused-exemption" ? undefined : exemptions.find((e) => exemptionMatches(e, diagnostic));
    if (exemption) exempted.push({ diagnostic, reason: exemption.reason });
    else diagnostics.push(diagnostic);
  }
  return { diagnostics, exempted };
}
