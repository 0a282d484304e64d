/**
 * The PostgreSQL error inside `error`: drivers put the SQLSTATE on `code`, and Drizzle wraps
 * them ("Failed query: …") with the driver error as `cause`.
 *
 * @example
 * postgresError(error)?.code // "42P01"
 */
export function postgresError(error: unknown): { code: string; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return { code, message: (current as Error).message };
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
