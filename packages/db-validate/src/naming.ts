import { CORE_PACKAGE } from "@ydtb/db-registry";
import { TABLE_PREFIX } from "./constants.ts";

const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/**
 * True for a snake_case SQL name: lower-case letters and digits, words joined by single `_`.
 *
 * @example
 * isSnakeCase("workspace_id"); // true
 * isSnakeCase("workspaceId");  // false
 */
export function isSnakeCase(name: string): boolean {
  return SNAKE_CASE.test(name);
}

/**
 * Rewrites a name in snake_case.
 *
 * @example
 * toSnakeCase("createdAt"); // "created_at"
 * toSnakeCase("Note-Tags"); // "note_tags"
 */
export function toSnakeCase(name: string): string {
  const out = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
  return /^[0-9]/.test(out) ? `t_${out}` : out || "name";
}

/**
 * Rewrites a snake_case name in camelCase, for suggested TypeScript keys.
 *
 * @example
 * toCamelCase("note_id"); // "noteId"
 */
export function toCamelCase(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The short name of a package in its tables' names: the part after the scope, `-` → `_`.
 *
 * @example
 * packageShortName("@ydtb/basic");     // "basic"
 * packageShortName("@ydtb/crm-deals"); // "crm_deals"
 */
export function packageShortName(packageName: string): string {
  const bare = packageName.includes("/") ? packageName.slice(packageName.indexOf("/") + 1) : packageName;
  return bare.replace(/[-.~]/g, "_").toLowerCase();
}

/**
 * The prefix of a package's table names: `ydtb_<short name>_`, or `ydtb_` for `@ydtb/core`.
 *
 * @example
 * tablePrefixOf("@ydtb/basic"); // "ydtb_basic_"
 * tablePrefixOf("@ydtb/core");  // "ydtb_"
 */
export function tablePrefixOf(packageName: string): string {
  return packageName === CORE_PACKAGE ? TABLE_PREFIX : `${TABLE_PREFIX}${packageShortName(packageName)}_`;
}

/**
 * The name a table should have in a package: its name rewritten in snake_case under the
 * package's prefix, with a `ydtb_` or `ydtb_<short>_` already there kept once.
 *
 * @example
 * suggestedTableName("@ydtb/basic", "notes");           // "ydtb_basic_notes"
 * suggestedTableName("@ydtb/basic", "ydtb_notes");      // "ydtb_basic_notes"
 * suggestedTableName("@ydtb/basic", "ydtb_basic_Tags"); // "ydtb_basic_tags"
 */
export function suggestedTableName(packageName: string, name: string): string {
  const prefix = tablePrefixOf(packageName);
  let rest = toSnakeCase(name);
  if (rest.startsWith(prefix)) rest = rest.slice(prefix.length);
  else if (rest.startsWith(TABLE_PREFIX)) rest = rest.slice(TABLE_PREFIX.length);
  return `${prefix}${rest || "items"}`;
}

/** JSON-quotes a name for a message: `"ydtb_basic_notes"`. */
export const quote = (value: string): string => JSON.stringify(value);
