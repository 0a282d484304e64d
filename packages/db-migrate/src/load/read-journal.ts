import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { MigrationLoadError } from "../errors/load-errors.ts";

/** The drizzle-kit journal, relative to the migrations folder. */
export const JOURNAL_FILE = "meta/_journal.json";

const journalSchema = z.object({
  entries: z.array(z.object({ idx: z.number().int().nonnegative(), tag: z.string().min(1), when: z.number().optional() }).loose()),
}).loose();

/** One entry of the journal: what the engine reads of it. */
export interface JournalEntry {
  readonly idx: number;
  readonly tag: string;
}

/**
 * The journal's entries of a drizzle-kit folder in `idx` order (whatever order the file lists
 * them in), checked with zod. Throws `MigrationLoadError` naming the file, the entry and the fix.
 *
 * @example
 * readJournal("@ydtb/basic", "/repo/packages/basic/drizzle").map((e) => e.tag) // ["0000_notes", "0001_pinned"]
 */
export function readJournal(packageName: string, folder: string): JournalEntry[] {
  const file = join(folder, JOURNAL_FILE);
  if (!existsSync(file)) {
    throw new MigrationLoadError(packageName, file, `no drizzle-kit journal; run \`bun run db:generate\` in the package to write its first migration, or point migrations at the folder drizzle-kit writes (e.g. "./drizzle")`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new MigrationLoadError(packageName, file, `is not valid JSON (${(error as Error).message}); restore it from version control or regenerate it with drizzle-kit`, { cause: error });
  }
  const parsed = journalSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MigrationLoadError(packageName, file, `${issue.path.join(".") || "the file"}: ${issue.message}; every entry needs a number "idx" and a string "tag" — restore the journal from version control`, { cause: parsed.error });
  }
  const entries = [...parsed.data.entries].sort((a, b) => a.idx - b.idx);
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.idx === entries[i - 1]!.idx) {
      throw new MigrationLoadError(packageName, file, `two entries have idx ${entries[i]!.idx} ("${entries[i - 1]!.tag}", "${entries[i]!.tag}"); give each its own idx, in the order they must run`);
    }
  }
  return entries.map((e) => ({ idx: e.idx, tag: e.tag }));
}
