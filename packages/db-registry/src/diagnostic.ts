/** How bad a diagnostic is: errors refuse registration, warnings are reported. */
export type Severity = "error" | "warning";

/**
 * One finding of schema validation.
 *
 * @example
 * { rule: "workspace-column", severity: "error", package: "@ydtb/notes", table: "ydtb_notes_items",
 *   message: "...", suggestion: 'workspaceId: varchar("workspace_id", { length: 20 }).notNull()' }
 */
export interface Diagnostic {
  readonly rule: string;
  readonly severity: Severity;
  readonly package: string;
  readonly table?: string;
  readonly column?: string;
  /** SQL name of the constraint at fault (unique, foreign key, primary key, check), when there is one. */
  readonly constraint?: string;
  /** SQL name of the index at fault, when there is one. */
  readonly index?: string;
  readonly message: string;
  /** Drizzle code (or SQL) to write instead, where one fits. */
  readonly suggestion?: string;
}

/** A diagnostic silenced by a manifest exemption, kept so reports can list it. */
export interface ExemptedDiagnostic {
  readonly diagnostic: Diagnostic;
  readonly reason: string;
}

/** What a validator returns for one manifest. */
export interface ValidationOutcome {
  readonly diagnostics: readonly Diagnostic[];
  readonly exempted: readonly ExemptedDiagnostic[];
}
