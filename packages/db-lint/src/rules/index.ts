import type { LintRule } from "../lint-types.ts";
import { addingNotNullColumn, addingVolatileDefault, changingColumnType, droppingColumn, renamingColumn, settingNotNull } from "./column-rules.ts";
import { addingUniqueConstraint, constraintMissingNotValid, validatingInSameTransaction } from "./constraint-rules.ts";
import { creatingIndexNonConcurrently, droppingIndexNonConcurrently } from "./index-rules.ts";
import { lockingTable, rewritingTable } from "./lock-rules.ts";
import { droppingTable, renamingTable } from "./table-rules.ts";

/** Every lint rule, in the order findings are reported for one statement. */
export const LINT_RULES: readonly LintRule[] = [
  addingVolatileDefault,
  addingNotNullColumn,
  droppingColumn,
  renamingColumn,
  changingColumnType,
  settingNotNull,
  constraintMissingNotValid,
  validatingInSameTransaction,
  addingUniqueConstraint,
  creatingIndexNonConcurrently,
  droppingIndexNonConcurrently,
  droppingTable,
  renamingTable,
  rewritingTable,
  lockingTable,
];

/** Findings about the lint itself: a file that does not parse, an exemption comment that cannot apply. */
export const META_RULES = {
  parseError: { name: "parse-error", description: "the file is not valid SQL for PostgreSQL's parser", safe: "Fix the syntax at the line given; the migration would fail when loaded." },
  invalidExemption: {
    name: "invalid-exemption",
    description: "a ydtb-lint-ignore comment without a reason, or naming no known rule",
    safe: "Write `-- ydtb-lint-ignore <rule>: <why this is safe here>` on the line(s) just above the statement, with a rule from `ydtb-db rules`.",
  },
  unusedExemption: {
    name: "unused-exemption",
    description: "a ydtb-lint-ignore comment whose rule does not fire on the statement below it",
    safe: "Remove the comment, or move it above the statement it is meant for.",
  },
} as const;
