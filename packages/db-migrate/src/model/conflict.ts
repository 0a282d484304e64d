/** What kind of disagreement between the code and the history a {@link Conflict} is. */
export type ConflictKind = "missing-file" | "checksum-mismatch" | "out-of-order" | "duplicate-id";

/**
 * A disagreement between the migrations in the code and the history in the database,
 * found before anything runs. `migrate()` refuses to run while any exists.
 *
 * @example
 * { kind: "checksum-mismatch", package: "@ydtb/basic", id: "0000_notes", file: ".../0000_notes.sql", message: "..." }
 */
export interface Conflict {
  readonly kind: ConflictKind;
  readonly package: string;
  readonly id: string;
  readonly file?: string;
  /** Names the migration and says the fix. */
  readonly message: string;
}
