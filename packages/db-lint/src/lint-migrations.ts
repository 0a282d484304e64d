import type { LintExemption, LintFinding, LintMigration, LintOptions, LintReport, LintRule, RuleHit } from "./lint-types.ts";
import { DEFAULT_STRICT } from "./lint-types.ts";
import { loadParser, parseStatements, type ParsedStatement } from "./parse-statements.ts";
import { PlanState } from "./plan-state.ts";
import { LINT_RULES, META_RULES } from "./rules/index.ts";

/**
 * Lints the migrations of one plan, in the order they would run, for what locks out readers or
 * writers of an existing table or breaks the previous release. Tables created earlier in the
 * plan are new and exempt; `history` (already shipped migrations) is read for context only.
 * A statement is exempted by `-- ydtb-lint-ignore <rule>: <reason>` on the lines above it.
 *
 * @example
 * const report = await lintMigrations(
 *   [{ package: "@ydtb/notes", id: "0002_archive", file: "drizzle/0002_archive.sql", sql, transaction: true }],
 *   { history: released, strict: true },
 * );
 * report.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)
 */
export async function lintMigrations(plan: readonly LintMigration[], options: LintOptions = {}): Promise<LintReport> {
  await loadParser();
  const strict = options.strict ?? DEFAULT_STRICT;
  const rules = LINT_RULES.filter((r) => !(options.exclude ?? []).includes(r.name));
  const state = new PlanState();
  for (const migration of options.history ?? []) {
    state.startMigration();
    const parsed = parseStatements(migration.sql);
    // History that does not parse was shipped anyway; it only gives context, so it is skipped.
    if ("statements" in parsed) for (const s of parsed.statements) state.apply(s.node, false, migration.transaction);
  }
  const findings: LintFinding[] = [];
  const exempted: LintExemption[] = [];
  const severity = strict ? "error" : "warning";
  for (const migration of plan) {
    state.startMigration();
    const parsed = parseStatements(migration.sql);
    if ("failure" in parsed) {
      const { line, column, message } = parsed.failure;
      findings.push({ rule: META_RULES.parseError.name, severity: "error", package: migration.package, migration: migration.id, file: migration.file, line, column, statement: 0, excerpt: "", message: `syntax error: ${message}`, safe: META_RULES.parseError.safe });
      continue;
    }
    for (const statement of parsed.statements) {
      const at = { package: migration.package, migration: migration.id, file: migration.file, line: statement.line, column: statement.column, statement: statement.index, excerpt: excerpt(statement.text) };
      const hits = runRules(rules, statement, state, migration);
      const { valid, problems } = checkExemptions(statement);
      const fired = new Set(hits.map((h) => h.rule.name));
      for (const { rule, hit } of hits) {
        const exemption = valid.find((e) => e.rules.includes(rule.name));
        if (exemption) exempted.push({ rule: rule.name, package: migration.package, migration: migration.id, file: migration.file, line: statement.line, reason: exemption.reason });
        else findings.push({ rule: rule.name, severity, ...at, ...(hit.table ? { table: hit.table } : {}), ...(hit.column ? { columnName: hit.column } : {}), message: hit.message, safe: hit.safe ?? rule.safe });
      }
      for (const problem of problems) findings.push({ rule: META_RULES.invalidExemption.name, severity, ...at, line: problem.line, message: problem.message, safe: META_RULES.invalidExemption.safe });
      for (const e of valid) {
        for (const name of e.rules.filter((r) => !fired.has(r) && rules.some((rule) => rule.name === r))) {
          findings.push({ rule: META_RULES.unusedExemption.name, severity, ...at, line: e.line, message: `the exemption of "${name}" on line ${e.line} matches nothing: the rule does not fire on statement ${statement.index}`, safe: META_RULES.unusedExemption.safe });
        }
      }
      state.apply(statement.node, true, migration.transaction);
    }
  }
  return { ok: findings.every((f) => f.severity !== "error"), strict, findings, exempted, linted: plan.length };
}

function runRules(rules: readonly LintRule[], statement: ParsedStatement, state: PlanState, migration: LintMigration): { rule: LintRule; hit: RuleHit }[] {
  const context = {
    node: statement.node,
    migration,
    isNew: state.isNew.bind(state),
    hasValidatedNotNullCheck: state.hasValidatedNotNullCheck.bind(state),
    tableOfIndex: state.tableOfIndex.bind(state),
    addedNotValidHere: state.addedNotValidHere.bind(state),
  };
  return rules.flatMap((rule) => rule.check(context).map((hit) => ({ rule, hit })));
}

function checkExemptions(statement: ParsedStatement) {
  const known = new Set(LINT_RULES.map((r) => r.name));
  const problems: { line: number; message: string }[] = [];
  const valid = statement.exemptions.filter((e) => {
    const unknown = e.rules.filter((r) => !known.has(r));
    if (e.rules.length === 0) problems.push({ line: e.line, message: `the ydtb-lint-ignore comment on line ${e.line} names no rule` });
    else if (unknown.length > 0) problems.push({ line: e.line, message: `the ydtb-lint-ignore comment on line ${e.line} names unknown rule${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}` });
    else if (!e.reason) problems.push({ line: e.line, message: `the ydtb-lint-ignore comment on line ${e.line} gives no reason after a colon; it exempts nothing without one` });
    else return true;
    return false;
  });
  return { valid, problems };
}

function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
