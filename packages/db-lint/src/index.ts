export { formatLintReport } from "./format-lint-report.ts";
export { lintMigrations } from "./lint-migrations.ts";
export { DEFAULT_LINT_SCOPE, lintReleases, type LintReleasesOptions, type LintScope, type ReleasedMigration } from "./lint-releases.ts";
export { DEFAULT_STRICT, type LintExemption, type LintFinding, type LintMigration, type LintOptions, type LintReport, type LintRule, type RuleHit, type StatementContext } from "./lint-types.ts";
export { IGNORE_MARKER, loadParser, parseStatements, type ExemptionComment, type ParsedStatement, type ParseFailure } from "./parse-statements.ts";
export { tableKey, tableName } from "./plan-state.ts";
export { LINT_RULES, META_RULES } from "./rules/index.ts";
export { VOLATILE_FUNCTIONS } from "./rules/column-rules.ts";
