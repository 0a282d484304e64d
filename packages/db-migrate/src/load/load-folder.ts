import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsFolder, type DatabaseManifest } from "@ydtb/db-registry";
import { MigrationLoadError, OrphanMigrationFileError } from "../errors/load-errors.ts";
import type { LoadedMigration, MigrationBody } from "../model/loaded-package.ts";
import { isNoTransaction, withoutBom } from "../sql/no-transaction-marker.ts";
import { checksumSql } from "./checksum.ts";
import { JOURNAL_FILE, readJournal } from "./read-journal.ts";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The folder a manifest's `migrations` names, resolved. Throws `MigrationLoadError`.
 *
 * @example
 * folderOf(basicManifest) // "/repo/packages/basic/drizzle"
 */
export function folderOf(manifest: DatabaseManifest): string {
  try {
    return migrationsFolder(manifest)!;
  } catch (error) {
    throw new MigrationLoadError(manifest.packageName, String(manifest.migrations), (error as Error).message, { cause: error });
  }
}

/**
 * Reads a drizzle-kit folder (no database, no parser): the journal in `idx` order, each
 * `NNNN_name.sql` with its optional `NNNN_name.down.sql`, checksums. Every boot runs this, so it
 * stays cheap: one directory listing, one read per file, no parsing (statements are cut and
 * judged by `prepareSql` only when a migration is about to run). A `.sql` file the journal does
 * not account for throws `OrphanMigrationFileError`; a file that is not UTF-8 (or holds NUL
 * bytes) `MigrationLoadError`.
 *
 * @example
 * loadFolder(basicManifest).map((m) => m.id) // ["0000_notes", "0001_pinned"]
 */
export function loadFolder(manifest: DatabaseManifest): Omit<LoadedMigration, "version">[] {
  const folder = folderOf(manifest);
  const journal = readJournal(manifest.packageName, folder);
  const files = new Set(readdirSync(folder));
  const accounted = new Set(journal.flatMap((e) => [`${e.tag}.sql`, `${e.tag}.down.sql`]));
  const orphan = [...files].sort().find((f) => f.endsWith(".sql") && !accounted.has(f));
  if (orphan) throw new OrphanMigrationFileError(manifest.packageName, join(folder, orphan));
  return journal.map((entry, index) => {
    const file = join(folder, `${entry.tag}.sql`);
    if (!files.has(`${entry.tag}.sql`)) {
      throw new MigrationLoadError(manifest.packageName, file, `is listed in ${JOURNAL_FILE} (tag "${entry.tag}") but missing; restore it from version control, or regenerate the folder with drizzle-kit`);
    }
    const text = readText(manifest.packageName, file);
    const downName = `${entry.tag}.down.sql`;
    const downFile = join(folder, downName);
    const down = files.has(downName) ? sqlBody(downFile, readText(manifest.packageName, downFile)) : undefined;
    return { package: manifest.packageName, id: entry.tag, index, checksum: checksumSql(text), up: sqlBody(file, text), ...(down ? { down } : {}) };
  });
}

function readText(packageName: string, file: string): string {
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch (error) {
    throw new MigrationLoadError(packageName, file, `is not valid UTF-8 text (a binary file, or saved in another encoding); save it as UTF-8 or delete it`, { cause: error });
  }
  const nul = text.indexOf("\0");
  if (nul >= 0) throw new MigrationLoadError(packageName, file, `holds a NUL byte (character ${nul + 1}): it is not a SQL text file; restore it from version control or delete it`);
  return text;
}

function sqlBody(file: string, text: string): MigrationBody {
  return { kind: "sql", file, text: withoutBom(text), transaction: !isNoTransaction(text) };
}
