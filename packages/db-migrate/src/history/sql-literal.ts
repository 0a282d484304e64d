import { fillPlaceholders, type Query } from "drizzle-orm";

/**
 * A value as a SQL literal, for statements sent as text in one simple-protocol message (where
 * there are no parameters): strings quoted as node-postgres's `escapeLiteral` does — quotes and
 * backslashes doubled, and an `E'…'` string when there is a backslash, so the result is the
 * same whatever `standard_conforming_strings` says; finite numbers, booleans and null as they
 * are. Throws `TypeError` for anything else, and for a string holding NUL (the protocol ends a
 * message's text at NUL; PostgreSQL's text cannot hold it either).
 *
 * @example
 * sqlLiteral("it's") // "'it''s'"
 * sqlLiteral("a\\b") // "E'a\\\\b'"
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${value} cannot be written as a SQL literal`);
    return String(value);
  }
  if (typeof value !== "string") throw new TypeError(`a ${typeof value} cannot be written as a SQL literal`);
  if (value.includes("\u0000")) throw new TypeError(`a string holding NUL cannot be sent to PostgreSQL: ${JSON.stringify(value.slice(0, 80))}`);
  const quoted = `'${value.replaceAll("'", "''").replaceAll("\\", "\\\\")}'`;
  return value.includes("\\") ? `E${quoted}` : quoted;
}

/**
 * A Drizzle query rendered once with placeholders (`sql.placeholder(name)`), to be filled with
 * literals many times: what Drizzle's prepared statements do with parameters, for a statement
 * that travels as text beside others in one message.
 */
export class InlineTemplate {
  readonly #parts: readonly string[];
  readonly #params: readonly unknown[];
  constructor(query: Query) {
    const parts = query.sql.split(/\$(\d+)\b/);
    // Our own rendered query: its only `$n` are Drizzle's parameters, each used once in order.
    const numbers = parts.filter((_, i) => i % 2 === 1).map(Number);
    if (numbers.length !== query.params.length || numbers.some((n, i) => n !== i + 1)) {
      throw new TypeError(`cannot inline the parameters of: ${query.sql}`);
    }
    this.#parts = parts.filter((_, i) => i % 2 === 0);
    this.#params = query.params;
  }

  /** The statement's text with every parameter written as a literal ({@link sqlLiteral}). */
  fill(values: Record<string, unknown>): string {
    const literals = fillPlaceholders(this.#params as unknown[], values).map(sqlLiteral);
    let text = this.#parts[0]!;
    for (let i = 0; i < literals.length; i++) text += literals[i] + this.#parts[i + 1]!;
    return text;
  }
}
