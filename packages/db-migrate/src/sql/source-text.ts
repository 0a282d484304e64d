/**
 * A SQL text with the byte-offset arithmetic PostgreSQL's parser needs: its locations are
 * UTF-8 byte offsets, messages want 1-based line:column in characters.
 */
export class SourceText {
  readonly bytes: Uint8Array;
  readonly #lineStarts: number[] = [0];
  static readonly #decoder = new TextDecoder();

  constructor(readonly text: string) {
    this.bytes = new TextEncoder().encode(text);
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] === 0x0a) this.#lineStarts.push(i + 1);
  }

  /** The text between two byte offsets. */
  slice(start: number, end: number): string {
    return SourceText.#decoder.decode(this.bytes.subarray(start, end));
  }

  /**
   * The 1-based line and column (in characters) of a byte offset.
   *
   * @example
   * new SourceText("a;\r\nb").position(4) // { line: 2, column: 1 }
   */
  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, this.bytes.length));
    let lo = 0;
    let hi = this.#lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = this.#lineStarts[lo]!;
    return { line: lo + 1, column: this.slice(lineStart, at).length + 1 };
  }
}

/**
 * The first `max` characters of a statement on one line, for messages.
 *
 * @example
 * excerpt("CREATE TABLE a (\n  id int\n)") // "CREATE TABLE a ( id int )"
 */
export function excerpt(statement: string, max = 200): string {
  const flat = statement.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
