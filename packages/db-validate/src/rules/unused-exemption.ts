import { exemptionMatches } from "../exemptions.ts";
import { quote } from "../naming.ts";
import type { Rule } from "../rule.ts";

/**
 * Warning: every exemption in the manifest silences at least one diagnostic. An exemption
 * that matches nothing is stale (the problem was fixed) or misspelt. Runs after every other rule.
 *
 * @example
 * exemptions: [{ rule: "naming", table: "ydtb_basic_gone", reason: "legacy" }] // unused-exemption warning
 */
export const unusedExemption: Rule = {
  name: "unused-exemption",
  severity: "warning",
  description: "Every exemption in the manifest silences a diagnostic; remove stale or misspelt ones.",
  check(ctx, report) {
    for (const exemption of ctx.manifest.exemptions) {
      if (ctx.diagnostics.some((d) => exemptionMatches(exemption, d))) continue;
      const at = `${exemption.table}${exemption.column ? `.${exemption.column}` : ""}`;
      const why = !ctx.ruleNames.includes(exemption.rule)
        ? `there is no rule ${quote(exemption.rule)} (rules: ${ctx.ruleNames.join(", ")})`
        : !ctx.tables.some((t) => t.name === exemption.table)
          ? `the schema has no table ${quote(exemption.table)}`
          : `rule ${quote(exemption.rule)} reports nothing at ${quote(at)}`;
      report({
        table: exemption.table,
        ...(exemption.column ? { column: exemption.column } : {}),
        message: `The exemption { rule: ${quote(exemption.rule)}, table: ${quote(exemption.table)}${exemption.column ? `, column: ${quote(exemption.column)}` : ""} } of ${quote(ctx.packageName)} silences nothing: ${why}; remove it or correct it.`,
      });
    }
  },
};
