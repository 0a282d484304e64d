import type { SqlParser } from "./sql-parser.ts";

/** A statement's first and last byte (exclusive end) in a UTF-8 text. */
export interface ByteBounds {
  readonly start: number;
  readonly end: number;
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c]);
const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const SEMICOLON = 0x3b;

/**
 * The bounds of the tokens in `bytes[from, to)` (a statement's span as PostgreSQL's parser gives
 * it: whitespace and comments before it included) without running the scanner: whitespace and
 * comments before the first token are skipped (`--` lines, nested `/* *\/` blocks), and when
 * nothing after that could open a comment (no `--`, no `/*`, even inside a string) the
 * statement ends at its last non-space byte. Undefined when that cannot be decided this way:
 * the caller asks the scanner, which knows strings from comments.
 *
 * @example
 * quickBounds(new TextEncoder().encode("-- note\nSELECT 1  "), 0, 18) // { start: 8, end: 16 }
 */
export function quickBounds(bytes: Uint8Array, from: number, to: number): ByteBounds | undefined {
  let i = from;
  while (i < to) {
    const c = bytes[i]!;
    if (SPACE.has(c)) i++;
    else if (c === DASH && bytes[i + 1] === DASH) {
      while (i < to && bytes[i] !== 0x0a) i++;
    } else if (c === SLASH && bytes[i + 1] === STAR) {
      let depth = 1;
      i += 2;
      while (i < to && depth > 0) {
        if (bytes[i] === SLASH && bytes[i + 1] === STAR) (depth++, (i += 2));
        else if (bytes[i] === STAR && bytes[i + 1] === SLASH) (depth--, (i += 2));
        else i++;
      }
      if (depth > 0) return undefined;
    } else break;
  }
  for (let k = i; k < to - 1; k++) {
    const c = bytes[k]!;
    if ((c === DASH && bytes[k + 1] === DASH) || (c === SLASH && bytes[k + 1] === STAR)) return undefined;
  }
  let end = to;
  while (end > i && SPACE.has(bytes[end - 1]!)) end--;
  if (end === i || bytes[end - 1] === SEMICOLON) return undefined;
  return { start: i, end };
}

const COMMENT_TOKENS = new Set(["SQL_COMMENT", "C_COMMENT"]);

/**
 * Each statement from its first token to its last, comments and semicolons aside, by
 * PostgreSQL's scanner (exact whatever the text holds).
 *
 * @example
 * scannedBounds(parser, text, [{ from: 0, to: text.length }])
 */
export function scannedBounds(parser: SqlParser, text: string, spans: readonly { readonly from: number; readonly to: number }[]): ByteBounds[] {
  const tokens = parser.scanSync(text).tokens.filter((t) => !COMMENT_TOKENS.has(t.tokenName) && t.text !== ";");
  let next = 0; // statements come in order: one pass over the tokens
  return spans.map(({ from, to }) => {
    while (next < tokens.length && tokens[next]!.start < from) next++;
    const first = next;
    while (next < tokens.length && tokens[next]!.end <= to) next++;
    return { start: tokens[first]?.start ?? from, end: next > first ? tokens[next - 1]!.end : to };
  });
}
