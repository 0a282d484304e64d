import type { MigrationDefinition } from "@ydtb/db-registry";

// Bun's native hasher: about 3× node:crypto's createHash for small inputs, and every boot
// hashes every migration.
const sha256 = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest("hex");

/**
 * SQL as the checksum sees it: CRLF → LF, trailing whitespace of every line removed,
 * leading and trailing blank lines removed. Re-indenting trailing spaces or saving with
 * Windows line endings is not a change; anything else is.
 *
 * @example
 * normaliseSql("CREATE TABLE a ();  \r\n\r\n") // "CREATE TABLE a ();"
 */
export function normaliseSql(text: string): string {
  // One pass per rule rather than a split/map/join per line: this runs for every migration
  // on every boot. `[^\S\n]` is whitespace other than the line break itself.
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[^\S\n]+$/gm, "")
    .replace(/^\n+/, "")
    .replace(/\n+$/, "");
}

/**
 * Checksum of a SQL migration: SHA-256 hex of the normalised text of its **up** file.
 * The `.down.sql` file is deliberately not part of it, so adding or fixing a down later
 * is not drift.
 *
 * @example
 * checksumSql(readFileSync("drizzle/0000_notes.sql", "utf8"))
 */
export function checksumSql(upText: string): string {
  return sha256(normaliseSql(upText));
}

/**
 * Checksum of a TypeScript migration: SHA-256 hex of `checksumSource` when given, else of
 * `up.toString()` (the function's source text as the runtime prints it). `down` is not part
 * of it, as for SQL migrations. Set `checksumSource` (e.g. `"v1"`) to make the checksum
 * independent of formatting and bundling, and change it to mark a deliberate edit.
 *
 * @example
 * checksumTypeScript({ id: "0002_backfill", up: async (db) => {...}, checksumSource: "v1" })
 */
export function checksumTypeScript(definition: Pick<MigrationDefinition, "up" | "checksumSource">): string {
  return sha256(definition.checksumSource ?? definition.up.toString());
}

/**
 * The digest stored per package in the versions table: SHA-256 hex over the applied
 * migrations' `id:checksum` lines, sorted by id. Equal digests mean equal applied sets.
 *
 * @example
 * migrationDigest([{ id: "0000_notes", checksum: "ab12…" }])
 */
export function migrationDigest(migrations: readonly { readonly id: string; readonly checksum: string }[]): string {
  const lines = migrations.map((m) => `${m.id}:${m.checksum}\n`).sort();
  return sha256(lines.join(""));
}
