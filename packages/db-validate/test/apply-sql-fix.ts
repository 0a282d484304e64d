import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SchemaEdit, SuggestedFix } from "@ydtb/db-registry";

// Applies the SQL side of a diagnostic's fixes (`rename-sql`) to a copy of a package folder:
// the object is renamed at its CREATE, and every use of its identifier in the package's SQL
// files. Nothing here knows what the fixed migrations should be.

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The identifier `name` unquoted (any case: PostgreSQL folds it) or double-quoted, not part of a longer name. */
const identifier = (name: string) => new RegExp(`(?<![\\w$"])(?:${escape(name)}|"${escape(name)}")(?![\\w$"])`, "gi");

function fail(edit: SchemaEdit, why: string): never {
  throw new Error(`cannot apply ${JSON.stringify(edit)}: ${why}`);
}

/** The `.sql` files of a migrations folder, recursively (meta/ holds JSON only). */
function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sqlFiles(join(dir, e.name)) : e.name.endsWith(".sql") ? [join(dir, e.name)] : []));
}

/**
 * Copies `from` (a package folder) to `to` and applies the `rename-sql` edits of `fixes` there.
 *
 * @example
 * applySqlFixes(fixtureDir, copyDir, diagnostics.flatMap((d) => d.fixes?.slice(0, 1) ?? []));
 */
export function applySqlFixes(from: string, to: string, fixes: readonly SuggestedFix[]): void {
  cpSync(from, to, { recursive: true });
  for (const edit of fixes.flatMap((f) => f.edits)) {
    if (edit.kind !== "rename-sql") fail(edit, "not an edit of SQL migrations");
    const created = join(to, edit.file);
    const line = readFileSync(created, "utf8").split("\n")[edit.line - 1] ?? "";
    // At its statement: the line the diagnostic names creates the object under that name.
    if (!new RegExp(`\\bCREATE\\b.*\\b${edit.object}\\b`, "i").test(line) || !identifier(edit.from).test(line)) fail(edit, `${edit.file}:${edit.line} does not create ${edit.from}`);
    for (const file of sqlFiles(dirname(created))) writeFileSync(file, readFileSync(file, "utf8").replace(identifier(edit.from), edit.to));
  }
}
