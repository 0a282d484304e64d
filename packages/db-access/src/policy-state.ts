import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsFolder, type DatabaseManifest } from "@ydtb/db-registry";
import { POLICY_MARKER } from "./constants.ts";
import { DbAccessError } from "./errors.ts";
import { EMPTY_POLICY_STATE, type PolicyState } from "./policy-sql.ts";

/** drizzle-kit's journal, the parts read here. */
export interface Journal {
  readonly version: string;
  readonly dialect: string;
  readonly entries: readonly { readonly idx: number; readonly when: number; readonly tag: string; readonly breakpoints: boolean; readonly version: string }[];
}

/** The latest policy migration of a package and what it covers. */
export interface PolicyStateResult {
  readonly state: PolicyState;
  /** The migration that set it (its tag or TypeScript id); absent when there is none yet. */
  readonly migration?: string;
}

/**
 * Reads `meta/_journal.json` of a drizzle-kit folder; `undefined` when the folder has none yet.
 *
 * @example
 * readJournal("packages/basic/drizzle")?.entries.map((e) => e.tag); // ["0000_notes", "0001_pinned", "0002_workspace_rls"]
 */
export function readJournal(folder: string): Journal | undefined {
  const file = join(folder, "meta", "_journal.json");
  if (!existsSync(file)) return undefined;
  try {
    const journal = JSON.parse(readFileSync(file, "utf8")) as Journal;
    if (!Array.isArray(journal.entries)) throw new Error("no entries array");
    return journal;
  } catch (error) {
    throw new DbAccessError("INVALID_JOURNAL", `${file} is not a drizzle-kit journal (${(error as Error).message}); restore it from version control.`, { cause: error });
  }
}

/**
 * Reads the tables a marker block covers, or `undefined` when `text` is not a generated policy
 * migration.
 *
 * @example
 * parsePolicyMarker("-- ydtb:workspace-rls\n-- workspace tables: a, b\n-- global tables: (none)\n");
 * // { workspaceTables: ["a", "b"], globalTables: [] }
 */
export function parsePolicyMarker(text: string, where = "a migration"): PolicyState | undefined {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trim() !== POLICY_MARKER) return undefined;
  const read = (label: string, optional = false) => {
    const line = lines.slice(1, 5).find((l) => l.startsWith(`-- ${label}:`));
    if (line === undefined && optional) return [];
    if (line === undefined) {
      throw new DbAccessError("INVALID_POLICY_MARKER", `${where} starts with "${POLICY_MARKER}" but has no "-- ${label}: …" line; it was edited by hand: restore it from version control, or run \`bun run db:generate\` again.`);
    }
    const value = line.slice(`-- ${label}:`.length).trim();
    return value === "(none)" ? [] : value.split(",").map((s) => s.trim()).filter(Boolean).sort();
  };
  const views = read("views", true);
  const schemas = read("schemas", true);
  return { workspaceTables: read("workspace tables"), globalTables: read("global tables"), ...(views.length ? { views } : {}), ...(schemas.length ? { schemas } : {}) };
}

/**
 * What a package's policy migrations cover after the last of them: read from the generated
 * marker of each SQL migration in journal order (drizzle-kit folder), or from the
 * `checksumSource` of TypeScript migrations made with `workspacePolicyMigration()`.
 *
 * @example
 * readPolicyState(basicDatabase); // { state: { workspaceTables: ["ydtb_basic_note_tags", …], globalTables: [] }, migration: "0002_workspace_rls" }
 */
export function readPolicyState(manifest: DatabaseManifest): PolicyStateResult {
  let result: PolicyStateResult = { state: EMPTY_POLICY_STATE };
  if (typeof manifest.migrations !== "string") {
    for (const m of manifest.migrations) {
      const state = m.checksumSource ? parsePolicyMarker(m.checksumSource, `"${manifest.packageName}" migration "${m.id}"`) : undefined;
      if (state) result = { state, migration: m.id };
    }
    return result;
  }
  const folder = migrationsFolder(manifest)!;
  const journal = readJournal(folder);
  if (!journal) return result;
  for (const entry of [...journal.entries].sort((a, b) => a.idx - b.idx)) {
    const file = join(folder, `${entry.tag}.sql`);
    if (!existsSync(file)) continue; // the engine reports a journal entry without its file
    const state = parsePolicyMarker(readFileSync(file, "utf8"), file);
    if (state) result = { state, migration: entry.tag };
  }
  return result;
}

