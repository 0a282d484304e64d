import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsFolder, type DatabaseManifest } from "@ydtb/db-registry";
import { MigrationLoadError } from "../errors/load-errors.ts";
import { JOURNAL_FILE } from "../load/read-journal.ts";

/** A migration file as drizzle's own migrator identifies it. */
export interface DrizzleFile {
  readonly id: string;
  /** Journal position, from 0. */
  readonly index: number;
  /** SHA-256 (hex) of the file's text: what drizzle stores in `hash`. */
  readonly hash: string;
  /** The journal's `when`: what drizzle stores in `created_at`. */
  readonly when: number;
}

/**
 * The files of a drizzle-kit folder with drizzle's hash and timestamp, in journal order; null
 * for a package whose migrations are TypeScript (drizzle never ran those).
 *
 * @example
 * drizzleFiles(basicManifest)?.[0] // { id: "0000_notes", index: 0, hash: "9f…", when: 1700000000000 }
 */
export function drizzleFiles(manifest: DatabaseManifest): DrizzleFile[] | null {
  if (typeof manifest.migrations !== "string") return null;
  const folder = migrationsFolder(manifest)!;
  const journalFile = join(folder, JOURNAL_FILE);
  let entries: { idx: number; tag: string; when: number }[];
  try {
    entries = (JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number; tag: string; when: number }[] }).entries;
  } catch (error) {
    throw new MigrationLoadError(manifest.packageName, journalFile, `the journal cannot be read: ${(error as Error).message}`, { cause: error });
  }
  return [...entries]
    .sort((a, b) => a.idx - b.idx)
    .map((e, index) => {
      const file = join(folder, `${e.tag}.sql`);
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new MigrationLoadError(manifest.packageName, file, `the migration file cannot be read: ${(error as Error).message}`, { cause: error });
      }
      return { id: e.tag, index, hash: createHash("sha256").update(text).digest("hex"), when: Number(e.when) };
    });
}
