import type { LintReport } from "./lint-types.ts";

/**
 * The report as text: per finding `file:line:column  severity rule`, the message, the safe
 * pattern indented; then the exemptions with their reasons; then a count.
 *
 * @example
 * console.log(formatLintReport(await lintMigrations(plan)));
 */
export function formatLintReport(report: LintReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${f.file}:${f.line}:${f.column}  ${f.severity} ${f.rule}  (${f.package} ${f.migration}, statement ${f.statement})`);
    lines.push(`  ${f.message}`);
    if (f.excerpt) lines.push(`  > ${f.excerpt}`);
    lines.push(...f.safe.split("\n").map((l, i) => (i === 0 ? `  safe: ${l}` : `    ${l}`)));
  }
  for (const e of report.exempted) lines.push(`${e.file}:${e.line}  exempted ${e.rule}: ${e.reason}`);
  const errors = report.findings.filter((f) => f.severity === "error").length;
  const warnings = report.findings.length - errors;
  lines.push(
    report.findings.length === 0
      ? `Lint: ${report.linted} migration${report.linted === 1 ? "" : "s"} checked, nothing risky${report.exempted.length ? ` (${report.exempted.length} exempted)` : ""}.`
      : `Lint: ${report.linted} migration${report.linted === 1 ? "" : "s"} checked: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}${report.exempted.length ? `, ${report.exempted.length} exempted` : ""}.`,
  );
  return lines.join("\n");
}
