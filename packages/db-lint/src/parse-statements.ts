import type * as PgQuery from "libpg-query";
import type { Node } from "libpg-query";

/** The comment that exempts the statement below it: `-- ydtb-lint-ignore <rule>[, <rule>]: <reason>`. */
export const IGNORE_MARKER = "ydtb-lint-ignore";

/** One exemption comment, as written. */
export interface ExemptionComment {
  readonly rules: readonly string[];
  /** Empty when the comment gives none (then it exempts nothing). */
  readonly reason: string;
  readonly line: number;
}

/** One statement of a file, as PostgreSQL's parser delimits it. */
export interface ParsedStatement {
  readonly node: Node;
  /** 1-based. */
  readonly index: number;
  readonly line: number;
  readonly column: number;
  readonly text: string;
  /** Exemption comments between the previous statement and this one. */
  readonly exemptions: readonly ExemptionComment[];
}

/** A file that does not parse: the parser's message and where. */
export interface ParseFailure {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

let loading: Promise<void> | undefined;
let parser: typeof PgQuery | undefined;

/**
 * Loads PostgreSQL's parser (WebAssembly) once per process; every other call is free. Imported
 * here, not at module load: importing it costs ~200 ms and ~30 MB, and the app imports this
 * package (through the command line and the watcher) on every boot.
 *
 * @example
 * await loadParser();
 */
export function loadParser(): Promise<void> {
  loading ??= import("libpg-query").then(async (module) => {
    await module.loadModule();
    parser = module;
  });
  return loading;
}

const IGNORE_LINE = new RegExp(`--\\s*${IGNORE_MARKER}\\b([^\\n]*)`, "g");

/**
 * Splits a migration file into statements with their line, column and exemption comments.
 * Offsets from the parser are UTF-8 byte offsets: they are mapped back to lines here.
 * Call {@link loadParser} first.
 *
 * @example
 * await loadParser();
 * parseStatements("CREATE TABLE a ();\n-- ydtb-lint-ignore dropping-table: unused since 1.2\nDROP TABLE b;")
 * // { statements: [{ index: 1, line: 1, … }, { index: 2, line: 3, exemptions: [{ rules: ["dropping-table"], … }] }] }
 */
export function parseStatements(sql: string): { readonly statements: readonly ParsedStatement[] } | { readonly failure: ParseFailure } {
  const text = sql.replace(/^\uFEFF/, "");
  const bytes = Buffer.from(text, "utf8");
  const lineStarts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lineStarts.push(i + 1);
  const position = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: bytes.subarray(lineStarts[lo]!, offset).toString("utf8").length + 1 };
  };
  if (!parser) throw new TypeError("parseStatements needs PostgreSQL's parser: await loadParser() first");
  let result;
  try {
    result = parser.parseSync(text);
  } catch (error) {
    if (!parser.hasSqlDetails(error)) throw error;
    const at = Math.max(0, (error.sqlDetails?.cursorPosition ?? 1) - 1);
    return { failure: { message: error.message, ...position(Math.min(at, bytes.length)) } };
  }
  const statements: ParsedStatement[] = [];
  let previousEnd = 0;
  for (const [i, raw] of (result.stmts ?? []).entries()) {
    if (!raw.stmt) continue;
    // PostgreSQL 18's parser points at the statement's first token, past comments (absent = 0).
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? (raw.stmt_location ?? 0) + raw.stmt_len : bytes.length;
    const gap = bytes.subarray(previousEnd, start).toString("utf8");
    const gapLine = position(previousEnd).line;
    statements.push({
      node: raw.stmt,
      index: i + 1,
      ...position(start),
      text: bytes.subarray(start, end).toString("utf8"),
      exemptions: exemptionsIn(gap, gapLine),
    });
    previousEnd = end;
  }
  return { statements };
}

function exemptionsIn(gap: string, firstLine: number): ExemptionComment[] {
  const out: ExemptionComment[] = [];
  for (const match of gap.matchAll(IGNORE_LINE)) {
    const body = match[1] ?? "";
    const colon = body.indexOf(":");
    const names = colon < 0 ? body : body.slice(0, colon);
    const line = firstLine + (gap.slice(0, match.index).match(/\n/g)?.length ?? 0);
    out.push({
      rules: names.split(/[\s,]+/).filter(Boolean),
      reason: colon < 0 ? "" : body.slice(colon + 1).trim(),
      line,
    });
  }
  return out;
}
