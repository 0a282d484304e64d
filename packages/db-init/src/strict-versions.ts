/** The environment variable that makes a boot refuse a database ahead of its code. */
export const STRICT_VERSIONS_ENV = "YDTB_DB_STRICT_VERSIONS";

/**
 * Reads {@link STRICT_VERSIONS_ENV} from an environment: `1`/`true` → true; unset, empty,
 * `0`/`false` → false; anything else throws a `TypeError` naming the variable and the values.
 *
 * @example
 * readStrictVersions(process.env) // false unless YDTB_DB_STRICT_VERSIONS=1
 */
export function readStrictVersions(env: Readonly<Record<string, string | undefined>>): boolean {
  const raw = env[STRICT_VERSIONS_ENV];
  const value = raw?.trim().toLowerCase() ?? "";
  if (value === "1" || value === "true") return true;
  if (value === "" || value === "0" || value === "false") return false;
  throw new TypeError(`${STRICT_VERSIONS_ENV}="${raw}" is not a flag; set it to 1 (refuse to start when the database is ahead of this code) or 0, or unset it`);
}
