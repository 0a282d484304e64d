/** First line of a SQL migration file that must run outside a transaction. */
export const NO_TRANSACTION_MARKER = "-- ydtb:no-transaction";

/** The comment drizzle-kit writes between statements (a plain SQL comment to PostgreSQL). */
export const STATEMENT_BREAKPOINT = "--> statement-breakpoint";

/**
 * The text of a SQL file as it runs: a leading byte-order mark removed, nothing else.
 *
 * @example
 * withoutBom("\uFEFFCREATE TABLE a ();\r\n") // "CREATE TABLE a ();\r\n"
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * True when the file's first line is {@link NO_TRANSACTION_MARKER} (case and surrounding
 * spaces ignored).
 *
 * @example
 * isNoTransaction("-- ydtb:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);") // true
 */
export function isNoTransaction(text: string): boolean {
  const first = withoutBom(text).split(/\r?\n/, 1)[0] ?? "";
  return first.trim().toLowerCase() === NO_TRANSACTION_MARKER;
}
