import { relative } from "node:path";
import { formatLintReport, type LintReport } from "@ydtb/db-lint";
import type { Diagnostic, ManifestChanges } from "@ydtb/db-registry";
import { formatCauses, type ErrorCause } from "../cli/describe-error.ts";
import type { Phase, ReportedStep } from "../init-report.ts";
import { formatSchemaDrift, type SchemaDrift } from "../schema-drift.ts";

/**
 * What the watcher reports, one event per outcome.
 *
 * @example
 * const onEvent = (e: WatchEvent) => {
 *   if (e.kind === "replaced") console.log(e.package, e.changes.tablesAltered);
 *   if (e.kind === "error") console.error(e.phase, e.code, e.message);
 * };
 */
export type WatchEvent =
  /** A new package's manifest was registered (and its migrations applied). */
  | { readonly kind: "registered"; readonly package: string; readonly warnings: readonly Diagnostic[] }
  /** A package's manifest was re-imported and replaced the registered one. */
  | { readonly kind: "replaced"; readonly package: string; readonly changes: ManifestChanges; readonly warnings: readonly Diagnostic[] }
  /** A package's manifest disappeared from the workspace. Its tables stay in the database. */
  | { readonly kind: "unregistered"; readonly package: string }
  /** Validation warnings of a changed package. */
  | { readonly kind: "diagnostics"; readonly package: string; readonly diagnostics: readonly Diagnostic[] }
  /** A changed package's Drizzle schema differs from its migrations (or could not be compared). */
  | { readonly kind: "drift"; readonly package: string; readonly drift: Exclude<SchemaDrift, { kind: "in-sync" | "skipped" }> }
  /** Migrations the reload applied, through the engine (lock and history). */
  | { readonly kind: "migrated"; readonly steps: readonly ReportedStep[] }
  /** Risky statements in a package's newly applied migrations (what would lock or break a rolling deploy). */
  | { readonly kind: "lint"; readonly package: string; readonly report: LintReport }
  /** A change that could not be taken: the registry and the database keep the last good state. */
  | {
      readonly kind: "error";
      readonly phase: Phase | "watch";
      readonly code: string;
      readonly message: string;
      readonly package?: string;
      readonly file?: string;
      readonly diagnostics?: readonly Diagnostic[];
      /** What lies behind the error: causes with file and line (a syntax error), and stacks. */
      readonly causes?: readonly ErrorCause[];
    }
  /** One reload finished; `ok` is false when any part of it was refused. */
  | { readonly kind: "reloaded"; readonly ok: boolean; readonly files: readonly string[]; readonly packages: readonly string[] };

/**
 * Formats a watch event as the line the watcher prints.
 *
 * @example
 * formatWatchEvent({ kind: "unregistered", package: "@ydtb/old" }, rootDir) // "ydtb-db watch: unregistered @ydtb/old …"
 */
export function formatWatchEvent(event: WatchEvent, rootDir: string): string {
  const p = "ydtb-db watch:";
  const diagnostic = (d: Diagnostic) =>
    `    ${d.severity} [${d.rule}] ${d.package}${d.table ? ` ${d.table}${d.column ? `.${d.column}` : ""}` : ""}: ${d.message}${d.suggestion ? `\n      fix: ${d.suggestion}` : ""}`;
  switch (event.kind) {
    case "registered":
      return `${p} registered ${event.package}`;
    case "replaced": {
      const c = event.changes;
      const parts = [
        c.tablesAdded.length ? `tables added: ${c.tablesAdded.join(", ")}` : "",
        c.tablesRemoved.length ? `tables removed: ${c.tablesRemoved.join(", ")}` : "",
        c.tablesAltered.length ? `tables altered: ${c.tablesAltered.join(", ")}` : "",
        c.versionChanged ? "version changed" : "",
      ].filter(Boolean);
      return `${p} replaced ${event.package} (${parts.length ? parts.join("; ") : "no table changes"})`;
    }
    case "unregistered":
      return `${p} unregistered ${event.package} (its manifest is gone; its tables stay in the database)`;
    case "diagnostics":
      return [`${p} diagnostics ${event.package}: ${event.diagnostics.length} warning${event.diagnostics.length === 1 ? "" : "s"}`, ...event.diagnostics.map(diagnostic)].join("\n");
    case "drift":
      return `${p} drift ${formatSchemaDrift(event.drift)}`;
    case "migrated":
      return [`${p} migrated ${event.steps.length} step${event.steps.length === 1 ? "" : "s"}`, ...event.steps.map((s) => `    applied ${s.direction} ${s.package} ${s.id}`)].join("\n");
    case "lint":
      return `${p} lint ${event.package}: the new migrations would lock or break a rolling deploy\n${formatLintReport(event.report).replace(/^/gm, "    ")}`;
    case "error":
      return [
        `${p} error [${event.code}] ${event.phase}${event.package ? ` ${event.package}` : ""}${event.file ? ` (${relative(rootDir, event.file)})` : ""}: ${event.message}`,
        ...(event.diagnostics ?? []).map(diagnostic),
        // An unexpected error keeps its stack; a known one its causes' locations.
        ...formatCauses(event.causes ?? [], event.code === "UNEXPECTED"),
      ].join("\n");
    case "reloaded":
      return `${p} reloaded${event.ok ? "" : " with errors (last good state kept)"}: ${event.packages.length ? event.packages.join(", ") : "no package changed"}`;
  }
}
