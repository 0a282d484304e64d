import type { Diagnostic } from "@ydtb/db-registry";
import type { ValidationReport } from "./validate-manifests.ts";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const location = (d: Diagnostic) => (d.table ? `${d.table}${d.column ? `.${d.column}` : ""}` : "(schema)");
const indent = (text: string, by: string) => text.replace(/^/gm, by);

/**
 * Renders a {@link ValidationReport} as text for people: grouped by package, each
 * diagnostic with its severity, rule and location (`table.column`), the message, and the
 * suggested code indented under it; then exempted diagnostics with their reasons; then totals.
 *
 * @example
 * console.log(formatValidationReport(validateManifests(manifests)));
 * // @ydtb/notes: 1 error, 0 warnings
 * //   error [workspace-column] ydtb_notes_items
 * //     Table "ydtb_notes_items" of "@ydtb/notes" has no "workspace_id" column; …
 * //       workspaceId: varchar("workspace_id", { length: 20 }).notNull()…
 */
export function formatValidationReport(report: ValidationReport): string {
  const lines: string[] = [];
  for (const pkg of report.packages) {
    const errors = pkg.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = pkg.diagnostics.length - errors;
    const exempted = pkg.exempted.length ? `, ${pkg.exempted.length} exempted` : "";
    lines.push(`${pkg.package}: ${errors + warnings === 0 ? "ok" : `${plural(errors, "error")}, ${plural(warnings, "warning")}`}${exempted}`);
    for (const d of pkg.diagnostics) {
      lines.push(`  ${d.severity} [${d.rule}] ${location(d)}`);
      lines.push(indent(d.message, "    "));
      if (d.suggestion) lines.push(indent(d.suggestion, "      "));
    }
    for (const { diagnostic: d, reason } of pkg.exempted) {
      lines.push(`  exempted ${d.severity} [${d.rule}] ${location(d)}: ${reason}`);
    }
  }
  if (lines.length > 0) lines.push("");
  lines.push(`${plural(report.errorCount, "error")}, ${plural(report.warningCount, "warning")} in ${plural(report.packages.length, "package")}`);
  return lines.join("\n");
}
