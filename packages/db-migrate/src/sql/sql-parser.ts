import type * as PgQuery from "libpg-query";

/** PostgreSQL's own parser (libpg-query, WebAssembly), loaded. */
export type SqlParser = Pick<typeof PgQuery, "parseSync" | "scanSync">;

let loading: Promise<SqlParser> | undefined;

/**
 * Loads PostgreSQL's parser once per process (~20 ms the first time). Imported lazily so a
 * boot with nothing to run never pays for it: only preparing a plan's steps, `checkPackage`
 * and the CLI's `plan`/`check` load it.
 *
 * @example
 * const parser = await loadSqlParser();
 * parser.parseSync("SELECT 1").stmts.length // 1
 */
export function loadSqlParser(): Promise<SqlParser> {
  loading ??= import("libpg-query").then(async (module) => {
    await module.loadModule();
    return module;
  });
  return loading;
}

/**
 * True once {@link loadSqlParser} was called in this process: a no-op boot must leave it false.
 *
 * @example
 * await migrate(db, manifests); // nothing to do
 * sqlParserRequested() // false
 */
export function sqlParserRequested(): boolean {
  return loading !== undefined;
}

/** The syntax error libpg-query throws: PostgreSQL's message and a 0-based character offset. */
export function syntaxErrorOf(error: unknown): { readonly message: string; readonly offset: number } | undefined {
  const details = (error as { sqlDetails?: { message?: unknown; cursorPosition?: unknown } } | null)?.sqlDetails;
  if (!details || typeof details.message !== "string") return undefined;
  return { message: details.message, offset: typeof details.cursorPosition === "number" ? details.cursorPosition : 0 };
}
