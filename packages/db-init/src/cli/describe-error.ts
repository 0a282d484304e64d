import { readFileSync } from "node:fs";

/** One link of an error's cause chain, ready to print or serialise. */
export interface ErrorCause {
  readonly code?: string;
  readonly name: string;
  readonly message: string;
  /** `file:line:column` for a build or resolve error of Bun (a syntax error in a manifest). */
  readonly location?: string;
  /** The source line at `location`. */
  readonly lineText?: string;
  readonly stack?: string;
}

interface BunPosition {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly lineText?: string;
}

/** Where an unresolved import is written: Bun gives the importing file and the specifier, not the line. */
function importSite(referrer: string, specifier: string): BunPosition | undefined {
  let text: string;
  try {
    text = readFileSync(referrer, "utf8");
  } catch {
    // The importing file is gone or unreadable: the message still names it.
    return undefined;
  }
  const lines = text.split("\n");
  const line = lines.findIndex((l) => l.includes(`"${specifier}"`) || l.includes(`'${specifier}'`));
  return line < 0 ? undefined : { file: referrer, line: line + 1, column: lines[line]!.indexOf(specifier) - 1, lineText: lines[line]! };
}

function one(error: unknown): ErrorCause {
  if (!(error instanceof Error) && (typeof error !== "object" || error === null)) return { name: "Error", message: String(error) };
  const e = error as Error & { code?: unknown; position?: BunPosition | null; referrer?: unknown; specifier?: unknown };
  const p = e.position ?? (typeof e.referrer === "string" && typeof e.specifier === "string" ? importSite(e.referrer, e.specifier) : undefined);
  return {
    ...(typeof e.code === "string" ? { code: e.code } : {}),
    name: e.name ?? "Error",
    message: e.message ?? String(error),
    ...(p?.file ? { location: `${p.file}:${p.line ?? "?"}:${(p.column ?? 0) + 1}` } : {}),
    ...(p?.lineText ? { lineText: p.lineText } : {}),
    ...(typeof e.stack === "string" ? { stack: e.stack } : {}),
  };
}

/**
 * An error and everything behind it, outermost first: its `cause` chain and, for an
 * `AggregateError` (Bun's "N errors building"), each inner error with its file and line.
 *
 * @example
 * for (const c of errorCauses(error)) console.error(c.location ?? "", c.message);
 */
export function errorCauses(error: unknown): ErrorCause[] {
  const out: ErrorCause[] = [];
  const seen = new Set<unknown>();
  const walk = (e: unknown, depth: number) => {
    if (e === undefined || e === null || seen.has(e) || depth > 8) return;
    seen.add(e);
    out.push(one(e));
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner)) for (const x of inner) walk(x, depth + 1);
    walk((e as { cause?: unknown }).cause, depth + 1);
  };
  walk(error, 0);
  return out;
}

/** The causes after the first, as lines: `caused by: [CODE] message (file:line:col)`. */
export function formatCauses(causes: readonly ErrorCause[], verbose: boolean): string[] {
  const lines: string[] = [];
  causes.forEach((c, i) => {
    if (i > 0) lines.push(`  caused by: ${c.code ? `[${c.code}] ` : ""}${c.message}`);
    if (c.location) lines.push(`    at ${c.location}${c.lineText ? `\n      ${c.lineText.trim()}` : ""}`);
    if (verbose && c.stack) lines.push(c.stack.split("\n").map((l) => `    ${l}`).join("\n"));
  });
  return lines;
}
