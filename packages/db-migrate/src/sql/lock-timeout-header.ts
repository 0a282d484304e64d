import { parseDuration } from "@ydtb/db-registry";

/** The header that sets one migration's lock wait: `-- ydtb:lock-timeout 10s`. */
export const LOCK_TIMEOUT_HEADER = "-- ydtb:lock-timeout";

/**
 * The lock wait a migration file asks for in its leading comment lines
 * (`-- ydtb:lock-timeout 10s`): `{ ms }`, `{ invalid: text }` when unreadable, or undefined.
 *
 * @example
 * readLockTimeoutHeader("-- ydtb:lock-timeout 30s\nALTER TABLE …") // { ms: 30000 }
 */
export function readLockTimeoutHeader(text: string): { readonly ms: number } | { readonly invalid: string } | undefined {
  for (const line of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    if (!trimmed.startsWith("--")) return undefined;
    if (trimmed.toLowerCase().startsWith(LOCK_TIMEOUT_HEADER)) {
      const value = trimmed.slice(LOCK_TIMEOUT_HEADER.length).trim();
      const ms = parseDuration(value);
      return ms === undefined ? { invalid: value } : { ms };
    }
  }
  return undefined;
}
