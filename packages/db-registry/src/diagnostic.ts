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
  /** Drizzle code (or SQL) to write instead, where one fits; rendered from `fixes` when there are some. */
  readonly suggestion?: string;
  /**
   * The same fix as data, one entry per choice the author has to make (usually one): the edits
   * to the schema module's source that `suggestion` describes. The test suite applies them.
   */
  readonly fixes?: readonly SuggestedFix[];
}

/**
 * One mechanical change to a schema module's source. `table` is the name the table is exported
 * under, `column` the TypeScript key of a column; an entry of the table's extra config is found
 * by its builder (`unique`, `uniqueIndex`, `index`, `foreignKey`), and its written name or the
 * keys of its `.on(…)`.
 *
 * @example
 * { kind: "edit-column", table: "comments", column: "noteId", drop: ["references"] }
 */
export type SchemaEdit =
  /** The call `call("from", …)` (pgTable, pgEnum, index, unique, …) or `call({ name: "from", … })` (foreignKey, primaryKey) gets the name "to". */
  | { readonly kind: "rename"; readonly call: string; readonly from: string; readonly to: string }
  /** A column: SQL name, builder (`text("id")`, replacing the chain's first call), calls removed, calls appended. */
  | {
      readonly kind: "edit-column";
      readonly table: string;
      readonly column: string;
      readonly name?: string;
      readonly builder?: string;
      readonly drop?: readonly string[];
      readonly append?: string;
    }
  | { readonly kind: "add-column"; readonly table: string; readonly column: string; readonly code: string }
  /** An entry appended to the table's extra config, `(t) => [ … ]` (created when missing). */
  | { readonly kind: "add-entry"; readonly table: string; readonly code: string }
  | { readonly kind: "replace-entry"; readonly table: string; readonly entry: EntryRef; readonly code: string }
  /** In an entry, `t.<column>` put first in its `.on(…)`; the rest (expressions, `.where(…)`) kept as written. */
  | { readonly kind: "first-on"; readonly table: string; readonly entry: EntryRef; readonly column: string }
  /** In an index entry, `t.<column>.op(…)` becomes `.op("to")`, or plain `t.<column>` without `to`. */
  | { readonly kind: "set-op"; readonly table: string; readonly entry: EntryRef; readonly column: string; readonly to?: string }
  /** The table's definition goes, an import of core's table under the same name replaces it. */
  | { readonly kind: "remove-table"; readonly table: string }
  | { readonly kind: "import"; readonly from: string; readonly names: readonly string[] }
  /** In the object given to `defineDatabase(…)`: the property at `path` set to `value` (code), objects on the way created. */
  | { readonly kind: "manifest-entry"; readonly path: readonly string[]; readonly value: string }
  /**
   * Not the schema module: the package's SQL migrations. The function, procedure, aggregate or
   * role `from` created at `file:line` (relative to the package folder) is named `to`, there and
   * at every other use of the identifier in the package's SQL files (calls, triggers, grants).
   */
  | { readonly kind: "rename-sql"; readonly object: "function" | "procedure" | "aggregate" | "role"; readonly file: string; readonly line: number; readonly from: string; readonly to: string }
  /** Not an edit of a file: a command that writes the fix, run in the package folder (`bun run db:generate`). */
  | { readonly kind: "command"; readonly command: string }
  /** The view exported as `view` (`pgView(…)`, `schema.view(…)`) gets `option: value` in its `.with({ … })`, written when missing. */
  | { readonly kind: "view-option"; readonly view: string; readonly option: string; readonly value: string };

/** An entry of a table's extra config: its builder, and its name or (unnamed in the source) its `.on(…)` keys. */
export interface EntryRef {
  readonly call: string;
  readonly name?: string;
  readonly on?: readonly string[];
}

/** One way to fix a diagnostic: what it does (when there is a choice) and its edits. */
export interface SuggestedFix {
  readonly label?: string;
  readonly edits: readonly SchemaEdit[];
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
