import { lintMigrations } from "./lint-migrations.ts";
import { DEFAULT_STRICT, type LintMigration, type LintOptions, type LintReport } from "./lint-types.ts";

/** A migration with the release it shipped in (`null`: not released yet). */
export interface ReleasedMigration extends LintMigration {
  readonly version: string | null;
}

/** Which releases `lintReleases` lints. */
export type LintScope = "unreleased" | "all";

/** Options of {@link lintReleases}. */
export interface LintReleasesOptions extends Omit<LintOptions, "history"> {
  /** `unreleased` (default): the migrations no release holds yet, i.e. what ships next. `all`: every release. */
  readonly scope?: LintScope;
}

/** Lints only what ships next unless asked. */
export const DEFAULT_LINT_SCOPE: LintScope = "unreleased";

/**
 * Lints every package release by release: a rolling deploy of a release runs that release's
 * migrations as one plan against the previous release's tables, so each release is a plan and
 * everything before it is history (existing tables). One report for all.
 *
 * @example
 * const report = await lintReleases([{ package: "@ydtb/basic", migrations }], { scope: "all" });
 */
export async function lintReleases(packages: readonly { readonly package: string; readonly migrations: readonly ReleasedMigration[] }[], options: LintReleasesOptions = {}): Promise<LintReport> {
  const scope = options.scope ?? DEFAULT_LINT_SCOPE;
  const reports: LintReport[] = [];
  for (const pkg of packages) {
    let start = 0;
    while (start < pkg.migrations.length) {
      const version = pkg.migrations[start]!.version;
      let end = start;
      while (end < pkg.migrations.length && pkg.migrations[end]!.version === version) end++;
      if (scope === "all" || version === null) {
        reports.push(await lintMigrations(pkg.migrations.slice(start, end), { ...options, history: pkg.migrations.slice(0, start) }));
      }
      start = end;
    }
  }
  const strict = options.strict ?? DEFAULT_STRICT;
  return {
    ok: reports.every((r) => r.ok),
    strict,
    findings: reports.flatMap((r) => r.findings),
    exempted: reports.flatMap((r) => r.exempted),
    linted: reports.reduce((n, r) => n + r.linted, 0),
  };
}
