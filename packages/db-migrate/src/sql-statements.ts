/** The marker drizzle-kit writes between statements. */
export const STATEMENT_BREAKPOINT = "--> statement-breakpoint";

/** First line of a SQL migration file that must run outside a transaction. */
export const NO_TRANSACTION_MARKER = "-- ydtb:no-transaction";

/**
 * Splits a drizzle-kit file on `--> statement-breakpoint`: trimmed chunks, empty ones dropped.
 *
 * @example
 * splitBreakpoints("CREATE TABLE a ();\n--> statement-breakpoint\nCREATE TABLE b ();") // two chunks
 */
export function splitBreakpoints(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(STATEMENT_BREAKPOINT)
    .map((s) => s.trim())
    .filter((s) => stripComments(s).trim().length > 0);
}

/** True when the file's first line is {@link NO_TRANSACTION_MARKER}. */
export function isNoTransaction(text: string): boolean {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  return first.trim().toLowerCase() === NO_TRANSACTION_MARKER;
}

/**
 * Splits SQL into statements on `;` outside quotes, dollar quotes and comments; comments are
 * removed. Enough to inspect hand-written migrations; not a parser.
 *
 * @example
 * splitStatements("CREATE INDEX IF NOT EXISTS a ON t (x); -- note\nDROP INDEX IF EXISTS b;") // two statements
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = "";
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end;
      current += " ";
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
      current += " ";
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) break;
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      current += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        const stop = end < 0 ? sql.length : end + tag.length;
        current += sql.slice(i, stop);
        i = stop;
        continue;
      }
    }
    if (ch === ";") {
      if (current.trim()) out.push(current.trim());
      current = "";
      i++;
      continue;
    }
    current += ch;
    i++;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** SQL with `--` and block comments removed (quotes respected). */
export function stripComments(sql: string): string {
  return splitStatements(sql).join(";\n");
}

// Statements that are harmless when run a second time.
const IDEMPOTENT: readonly RegExp[] = [
  /^create\s+(unique\s+)?index\s+(concurrently\s+)?if\s+not\s+exists\b/,
  /^create\s+(table|schema|sequence|extension|materialized\s+view|view)\s+if\s+not\s+exists\b/,
  /^create\s+or\s+replace\b/,
  /^drop\s+(index|table|view|materialized\s+view|sequence|type|schema|function|procedure|trigger|extension|domain|policy|rule|publication|subscription|role|user|collation|aggregate|operator)\s+(concurrently\s+)?if\s+exists\b/,
  /^(reindex|analyze|analyse|vacuum|refresh\s+materialized\s+view)\b/,
];

// ALTER TABLE: every action must be guarded.
const ALTER_TABLE = /^alter\s+table\s+(if\s+exists\s+)?(only\s+)?("(?:[^"]|"")+"|[\w.$]+)(\s*\.\s*("(?:[^"]|"")+"|[\w$]+))?\s+/;
const GUARDED_ACTION = [
  /^add\s+(column\s+)?if\s+not\s+exists\b/,
  /^drop\s+(column\s+|constraint\s+)?if\s+exists\b/,
  /^alter\s+(column\s+)?("(?:[^"]|"")+"|[\w$]+)\s+(set|drop)\s+(default|not\s+null|statistics|storage)\b/,
  /^(enable|disable|force|no\s+force)\s+row\s+level\s+security\b/,
  /^set\s+(logged|unlogged|tablespace|\()/,
];

/**
 * True when running `statement` (one statement, comments removed) twice is harmless:
 * `CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS`, `CREATE TABLE IF NOT EXISTS`,
 * `CREATE OR REPLACE`, `DROP ... IF EXISTS`, `ALTER TABLE ... ADD COLUMN IF NOT EXISTS` /
 * `DROP COLUMN IF EXISTS` / `SET|DROP DEFAULT`, `REINDEX`, `ANALYZE`, `VACUUM`.
 *
 * @example
 * isIdempotentStatement('CREATE INDEX CONCURRENTLY IF NOT EXISTS "i" ON "t" ("x")') // true
 */
export function isIdempotentStatement(statement: string): boolean {
  const s = statement.trim().replace(/\s+/g, " ").toLowerCase();
  if (IDEMPOTENT.some((re) => re.test(s))) return true;
  const alter = ALTER_TABLE.exec(s);
  if (!alter) return false;
  const actions = splitTopLevelCommas(s.slice(alter[0].length));
  return actions.length > 0 && actions.every((a) => GUARDED_ACTION.some((re) => re.test(a.trim())));
}

function splitTopLevelCommas(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = "";
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

/** The first `max` characters of a statement on one line, for messages. */
export function excerpt(statement: string, max = 200): string {
  const flat = statement.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
