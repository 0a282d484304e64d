import type { Diagnostic } from "@ydtb/db-registry";
import type { PackageReport, ValidationReport } from "./validate-manifests.ts";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const location = (d: Diagnostic) =>
  d.table ? `${d.table}${d.column ? `.${d.column}` : ""}${d.constraint ? ` (${d.constraint})` : d.index ? ` (${d.index})` : ""}` : "(package)";
const indent = (text: string, by: string) => text.replace(/^/gm, by);

/** The rule whose warnings are summarised per table unless `verbose`. */
const SUMMARISED_RULE = "documentation";

/**
 * Options of {@link formatValidationReport}.
 *
 * @example
 * formatValidationReport(report, { verbose: true });
 */
export interface FormatValidationOptions {
  /** Every documentation warning on its own, not one line per table. Default false. */
  readonly verbose?: boolean;
}

function formatPackage(pkg: PackageReport, options: FormatValidationOptions): string[] {
  const lines: string[] = [];
  const exempted = pkg.exempted.length ? `, ${pkg.exempted.length} exempted` : "";
  const totals = pkg.errorCount + pkg.warningCount === 0 ? "ok" : `${pkg.ok ? "ok, " : ""}${plural(pkg.errorCount, "error")}, ${plural(pkg.warningCount, "warning")}`;
  lines.push(`${pkg.package}: ${totals}${exempted}`);
  const undocumented = new Map<string, string[]>();
  for (const d of pkg.diagnostics) {
    if (!options.verbose && d.rule === SUMMARISED_RULE && d.severity === "warning" && d.table) {
      const list = undocumented.get(d.table) ?? [];
      list.push(d.column ?? "(table)");
      undocumented.set(d.table, list);
      continue;
    }
    lines.push(`  ${d.severity} [${d.rule}] ${location(d)}`);
    lines.push(indent(d.message, "    "));
    if (d.suggestion) lines.push(indent(d.suggestion, "      "));
  }
  for (const [table, items] of undocumented) {
    const columns = items.filter((c) => c !== "(table)");
    const what = [...(items.includes("(table)") ? ["the table"] : []), ...(columns.length ? [plural(columns.length, "column")] : [])].join(" and ");
    lines.push(`  warning [${SUMMARISED_RULE}] ${table}: ${what} undescribed (${columns.join(", ") || "table"}); add them to the manifest's descriptions (--verbose lists each)`);
  }
  for (const { diagnostic: d, reason } of pkg.exempted) {
    lines.push(`  exempted ${d.severity} [${d.rule}] ${location(d)}: ${reason}`);
  }
  if (pkg.ignoredExports.length > 0) {
    lines.push(`  info: schema exports that are no Drizzle object were ignored: ${pkg.ignoredExports.join(", ")}`);
  }
  return lines;
}

/**
 * Renders a {@link ValidationReport} as text for people: per package its totals, then each
 * diagnostic with severity, rule and location (`table.column (constraint)`), the message and
 * the suggested code indented under it; documentation warnings one line per table unless
 * `verbose`; exempted diagnostics with their reasons; ignored exports on one info line; totals.
 *
 * @example
 * console.log(formatValidationReport(validateManifests(manifests)));
 * // @ydtb/notes: 1 error, 0 warnings
 * //   error [workspace-column] ydtb_notes_items
 * //     Table "ydtb_notes_items" of "@ydtb/notes" has no "workspace_id" column; …
 * //       workspaceId: varchar("workspace_id", { length: 20 }).notNull()…
 */
export function formatValidationReport(report: ValidationReport, options: FormatValidationOptions = {}): string {
  const lines = report.packages.flatMap((pkg) => formatPackage(pkg, options));
  if (lines.length > 0) lines.push("");
  lines.push(`${report.ok ? "ok: " : ""}${plural(report.errorCount, "error")}, ${plural(report.warningCount, "warning")} in ${plural(report.packages.length, "package")}`);
  return lines.join("\n");
}
