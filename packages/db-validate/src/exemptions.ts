import type { Diagnostic, ExemptedDiagnostic, Exemption } from "@ydtb/db-registry";

/**
 * True when an exemption silences a diagnostic: same rule, same table, and the same column,
 * constraint and index when the exemption names them (an exemption that names none covers
 * the whole table).
 *
 * @example
 * exemptionMatches({ rule: "naming", table: "ydtb_x", reason: "legacy" }, diagnostic);
 * exemptionMatches({ rule: "unique-includes-workspace", table: "ydtb_x_keys", constraint: "ydtb_x_keys_hash_unique", reason: "random secret" }, diagnostic);
 */
export function exemptionMatches(exemption: Exemption, diagnostic: Diagnostic): boolean {
  return (
    exemption.rule === diagnostic.rule &&
    exemption.table === diagnostic.table &&
    (exemption.column === undefined || exemption.column === diagnostic.column) &&
    (exemption.constraint === undefined || exemption.constraint === diagnostic.constraint) &&
    (exemption.index === undefined || exemption.index === diagnostic.index)
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
