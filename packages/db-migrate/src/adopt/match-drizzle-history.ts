import type { BaselineMismatch } from "./adopt-errors.ts";
import type { DrizzleFile } from "./drizzle-files.ts";
import type { DrizzleHistoryRow } from "./drizzle-history.ts";

/** The packages that share one drizzle history table, with their files. */
export interface DrizzleTableGroup {
  /** `schema.table`, for messages. */
  readonly table: string;
  readonly rows: readonly DrizzleHistoryRow[];
  readonly packages: readonly { readonly name: string; readonly files: readonly DrizzleFile[] }[];
  /** Migrations already in our history (`package\0id`): never reported as skipped. */
  readonly applied?: ReadonlySet<string>;
}

/** One migration drizzle applied, matched to our file by hash and timestamp. */
export interface MatchedMigration {
  readonly package: string;
  readonly id: string;
  readonly table: string;
  readonly row: number;
}

/**
 * Matches a drizzle history table's rows to the migration files of the packages that use it
 * (pure). A row matches a file when drizzle's stored hash is the file's SHA-256 and its
 * `created_at` the journal's `when`. Mismatches: a row no file has (edited after it ran, or
 * another project's), a hash found under another timestamp (journal edited), and a file
 * drizzle never applied although it applied a later one of the same package (drizzle skips
 * files dated before its newest row).
 *
 * @example
 * const { matched, mismatches } = matchDrizzleHistory({ table: "drizzle.__drizzle_migrations", rows, packages });
 */
export function matchDrizzleHistory(group: DrizzleTableGroup): { matched: MatchedMigration[]; mismatches: BaselineMismatch[] } {
  const matched: MatchedMigration[] = [];
  const mismatches: BaselineMismatch[] = [];
  const names = group.packages.map((p) => `"${p.name}"`).join(", ");
  const seen = new Set<string>();
  for (const row of group.rows) {
    const candidates = group.packages.flatMap((p) => p.files.filter((f) => f.hash === row.hash).map((f) => ({ package: p.name, file: f })));
    const exact = candidates.find((c) => c.file.when === row.createdAt);
    if (exact) {
      const key = `${exact.package}\0${exact.file.id}`;
      if (!seen.has(key)) matched.push({ package: exact.package, id: exact.file.id, table: group.table, row: row.id });
      seen.add(key);
      continue;
    }
    const other = candidates[0];
    if (other) {
      mismatches.push({
        kind: "timestamp-differs",
        package: other.package,
        id: other.file.id,
        table: group.table,
        row: row.id,
        message: `"${other.package}" ${other.file.id}: ${group.table} row ${row.id} has its hash but created_at ${row.createdAt}, the journal says when ${other.file.when}; restore the journal's "when" for this entry (git log -p meta/_journal.json)`,
      });
    } else {
      mismatches.push({
        kind: "unknown-hash",
        table: group.table,
        row: row.id,
        message: `${group.table} row ${row.id} (hash ${row.hash.slice(0, 12)}…, created_at ${row.createdAt}) matches no migration file of ${names}: a file was edited after drizzle applied it (restore it from git), or the row is another package's (name its table with --drizzle-table pkg=schema.table)`,
      });
    }
  }
  for (const p of group.packages) {
    const done = new Set(matched.filter((m) => m.package === p.name).map((m) => m.id));
    for (const f of p.files) if (group.applied?.has(`${p.name}\0${f.id}`)) done.add(f.id);
    const last = Math.max(-1, ...p.files.filter((f) => done.has(f.id)).map((f) => f.index));
    for (const f of p.files) {
      if (f.index < last && !done.has(f.id)) {
        mismatches.push({
          kind: "skipped-by-drizzle",
          package: p.name,
          id: f.id,
          table: group.table,
          message: `"${p.name}" ${f.id} was never applied by drizzle although a later migration was (drizzle skips files dated before its newest row): run its SQL by hand, record it with \`ydtb-db resolve ${p.name} ${f.id} --applied\`, then run baseline again`,
        });
      }
    }
  }
  return { matched, mismatches };
}
