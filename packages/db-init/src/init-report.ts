import type { Diagnostic, ExemptedDiagnostic } from "@ydtb/db-registry";
import type { HeldBack, PackageAhead } from "@ydtb/db-migrate";

/** The phases of the pipeline, in order. */
export const PHASES = ["discover", "register", "validate", "migrate", "sync"] as const;
export type Phase = (typeof PHASES)[number];

/** One migration step as reported. */
export interface ReportedStep {
  readonly package: string;
  readonly id: string;
  readonly direction: "up" | "down";
  readonly status: "applied" | "failed" | "skipped";
  readonly ms: number;
  readonly error?: string;
}

/** What `initDatabase` did, successful or not: JSON-serialisable. */
export interface InitReport {
  readonly ok: boolean;
  /** The database label (no password). */
  readonly database: string;
  readonly mode: "development" | "production";
  /** The phase that failed, if any. */
  readonly failedPhase?: Phase;
  readonly error?: { readonly code: string; readonly message: string };
  readonly packages: readonly { readonly name: string; readonly version: string; readonly databaseVersion: string | null; readonly tables: number; readonly source?: string }[];
  /** Manifests that failed to load. */
  readonly discoveryFailures: readonly { readonly package: string; readonly file: string; readonly message: string }[];
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  readonly exempted: readonly ExemptedDiagnostic[];
  readonly steps: readonly ReportedStep[];
  /**
   * Packages whose database holds migrations of a later release than this code's (an instance
   * of the previous release during a rolling deploy): not migrated, a warning naming both versions.
   */
  readonly ahead: readonly PackageAhead[];
  /** Packages left unmigrated because a dependency is ahead of the range they accept. */
  readonly heldBack: readonly HeldBack[];
  readonly applied: number;
  readonly skipped: number;
  /** Tools synced into `ydtb_tools`. */
  readonly tools?: { readonly inserted: number; readonly updated: number; readonly deactivated: number };
  /** Queries sent by the migration phase (bounded on a no-op boot). */
  readonly queryCount: number;
  /**
   * True when the boot stamp answered this no-op boot: the state and inputs are those a full
   * boot found nothing to do for, so nothing was validated, loaded, planned or synced again.
   */
  readonly bootStamp?: boolean;
  /** Milliseconds per phase, and the total. */
  readonly ms: Readonly<Partial<Record<Phase | "total", number>>>;
}

/** "3 migrations applied", or "1 migration undone" / "2 applied, 1 undone" when going down. */
function applied(report: InitReport): string {
  const done = report.steps.filter((s) => s.status === "applied");
  const down = done.filter((s) => s.direction === "down").length;
  const up = done.length - down;
  if (down === 0) return `${up} migration${up === 1 ? "" : "s"} applied`;
  return up === 0 ? `${down} migration${down === 1 ? "" : "s"} undone` : `${up} applied, ${down} undone`;
}

const line = (d: Diagnostic) =>
  `  [${d.rule}] ${d.package}${d.table ? ` ${d.table}${d.column ? `.${d.column}` : ""}` : ""}: ${d.message}` +
  (d.suggestion ? `\n      fix: ${d.suggestion.replace(/\n/g, "\n           ")}` : "");

/**
 * Formats a report for a terminal: one summary line, then whatever needs attention. `command`
 * labels a failure (`rollback failed in the migrate phase`) instead of the phase alone.
 *
 * @example
 * console.log(formatInitReport(report));
 */
export function formatInitReport(report: InitReport, options: { readonly command?: string } = {}): string {
  const out: string[] = [];
  const ms = report.ms;
  const warnings = report.warnings.length + report.ahead.length + report.heldBack.length;
  const phases = (Object.keys(ms) as (keyof typeof ms)[])
    .filter((k) => k !== "total")
    .map((k) => `${k} ${ms[k]?.toFixed(1)}`)
    .join(", ");
  out.push(
    `${report.ok ? "ydtb-db: database ready" : "ydtb-db: database NOT ready"} (${report.database}) — ` +
      `${report.packages.length} package${report.packages.length === 1 ? "" : "s"}, ${applied(report)}, ` +
      `${warnings} warning${warnings === 1 ? "" : "s"}; ${ms.total?.toFixed(0) ?? "?"} ms (${phases})`,
  );
  for (const a of report.ahead) {
    out.push(
      `\nwarning: database ahead of this code — ${a.package} is at ${a.databaseVersion} in the database, this code is ${a.codeVersion}; ` +
        `not migrated (applied, not in this code: ${a.migrations.map((m) => `${m.id} (${m.version})`).join(", ")}). ` +
        `Expected while a newer release rolls out; set YDTB_DB_STRICT_VERSIONS=1 to refuse instead.`,
    );
  }
  for (const h of report.heldBack) {
    out.push(`\nwarning: ${h.package} not migrated — it needs ${h.dependency} ${h.range}, which is ${h.databaseVersion} in the database; pending: ${h.pending.join(", ")}`);
  }
  if (report.error) {
    const where = options.command ? `${options.command} failed${report.failedPhase ? ` in the ${report.failedPhase} phase` : ""}` : report.failedPhase ? `${report.failedPhase} failed` : "failed";
    out.push(`\n${where}: [${report.error.code}] ${report.error.message}`);
  }
  if (report.discoveryFailures.length) {
    out.push("\nManifests that failed to load:");
    for (const f of report.discoveryFailures) out.push(`  ${f.package} (${f.file}): ${f.message}`);
  }
  if (report.errors.length) out.push("\nSchema errors:", ...report.errors.map(line));
  if (report.warnings.length) out.push("\nSchema warnings:", ...report.warnings.map(line));
  if (report.exempted.length) {
    out.push("\nExempted:");
    for (const e of report.exempted) out.push(`  [${e.diagnostic.rule}] ${e.diagnostic.package} ${e.diagnostic.table ?? ""}${e.diagnostic.column ? `.${e.diagnostic.column}` : ""} — ${e.reason}`);
  }
  const ran = report.steps.filter((s) => s.status !== "skipped");
  if (ran.length) {
    out.push("\nMigrations:");
    for (const s of ran) out.push(`  ${s.status.padEnd(7)} ${s.direction.padEnd(4)} ${s.package} ${s.id} (${s.ms.toFixed(1)} ms)${s.error ? `\n          ${s.error}` : ""}`);
  }
  if (report.skipped > 0) out.push(`  ${report.skipped} step${report.skipped === 1 ? "" : "s"} skipped (not run, or rolled back with the whole plan in "all" mode)`);
  return out.join("\n");
}
