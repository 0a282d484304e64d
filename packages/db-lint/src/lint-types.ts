import type { Node, RangeVar } from "libpg-query";

/** One migration to lint: its SQL text and where it came from. */
export interface LintMigration {
  readonly package: string;
  readonly id: string;
  /** The file, as it is named in findings. */
  readonly file: string;
  /** The file's text, exactly as written. */
  readonly sql: string;
  /** False for a `-- ydtb:no-transaction` migration (statements run one by one). */
  readonly transaction: boolean;
}

/** A risky statement: rule, where it is, what it does to the running release, the safe pattern. */
export interface LintFinding {
  readonly rule: string;
  /** `warning`, or `error` under `strict`. */
  readonly severity: "warning" | "error";
  readonly package: string;
  readonly migration: string;
  readonly file: string;
  /** 1-based line and column of the statement's first token. */
  readonly line: number;
  readonly column: number;
  /** 1-based position of the statement in its file (as PostgreSQL's parser splits it). */
  readonly statement: number;
  readonly excerpt: string;
  readonly table?: string;
  readonly columnName?: string;
  readonly message: string;
  /** The safe way to make the same change. */
  readonly safe: string;
}

/** A finding a comment in the file exempted, with the comment's reason. */
export interface LintExemption {
  readonly rule: string;
  readonly package: string;
  readonly migration: string;
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

/** What `lintMigrations` returns. */
export interface LintReport {
  /** False when any finding is an error (all of them under `strict`; a file that does not parse always). */
  readonly ok: boolean;
  readonly strict: boolean;
  readonly findings: readonly LintFinding[];
  readonly exempted: readonly LintExemption[];
  /** Migrations linted (history read for context is not counted). */
  readonly linted: number;
}

/** What a rule sees of one statement. */
export interface StatementContext {
  readonly node: Node;
  /** True when the table did not exist before the plan (created earlier in it). */
  readonly isNew: (relation: RangeVar | undefined) => boolean;
  /** True when a validated `CHECK (column IS NOT NULL)` exists on the table. */
  readonly hasValidatedNotNullCheck: (relation: RangeVar, column: string) => boolean;
  /** The table an index belongs to, when a migration so far created it. */
  readonly tableOfIndex: (schema: string | undefined, index: string) => string | undefined;
  /** Constraints added `NOT VALID` earlier in this same migration (transactional ones only). */
  readonly addedNotValidHere: (relation: RangeVar, constraint: string) => boolean;
  readonly migration: LintMigration;
}

/** A rule's raw finding; the linter adds position, severity and the rule's safe pattern. */
export interface RuleHit {
  readonly table?: string;
  readonly column?: string;
  readonly message: string;
  /** Overrides the rule's general safe pattern with one written for this statement. */
  readonly safe?: string;
}

/** A named rule over one parsed statement. */
export interface LintRule {
  readonly name: string;
  /** One line: what it flags. */
  readonly description: string;
  /** The safe pattern, in general. */
  readonly safe: string;
  readonly check: (context: StatementContext) => readonly RuleHit[];
}

/** Options of `lintMigrations`. */
export interface LintOptions {
  /** Findings are errors (and `ok` false) instead of warnings. Default {@link DEFAULT_STRICT}. */
  readonly strict?: boolean;
  /** Migrations already shipped before the plan: read for context (tables, constraints, indexes), not reported. */
  readonly history?: readonly LintMigration[];
  /** Rule names not to run. */
  readonly exclude?: readonly string[];
}

/** Findings are warnings unless asked otherwise. */
export const DEFAULT_STRICT = false;
