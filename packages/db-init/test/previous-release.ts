import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyWorkspace } from "./helpers.ts";

/**
 * A workspace copy holding the previous release of `@ydtb/basic` (1.0.0): the repository's
 * package with the 1.1.0 migration (`0001_pinned`), its down, snapshot, journal entry and
 * attribution removed, the `pinned` column and index gone from the schema, and its tool's icon
 * another. With `version`
 * its package.json says another version (e.g. "1.1.0": the 1.1.0 code with its migration file
 * deleted). Remove it with `removeWorkspace`.
 *
 * @example
 * const oldRoot = previousReleaseWorkspace();
 * await initDatabase({ db, rootDir: oldRoot }); // the 1.0.0 code against a 1.1.0 database
 */
export function previousReleaseWorkspace(options: { readonly version?: string } = {}): string {
  const root = copyWorkspace({ packages: ["db-core", "basic"] });
  const basic = join(root, "packages", "basic");
  const edit = (file: string, change: (text: string) => string) => writeFileSync(join(basic, file), change(readFileSync(join(basic, file), "utf8")));
  const withoutLines = (pattern: RegExp) => (text: string) => text.split("\n").filter((line) => !pattern.test(line)).join("\n");

  for (const file of ["drizzle/0001_pinned.sql", "drizzle/0001_pinned.down.sql", "drizzle/meta/0001_snapshot.json"]) rmSync(join(basic, file));
  edit("drizzle/meta/_journal.json", (text) => {
    const journal = JSON.parse(text) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((e) => e.tag !== "0001_pinned");
    return JSON.stringify(journal, null, 2);
  });
  writeFileSync(join(basic, "migrations.versions.json"), JSON.stringify({ "1.0.0": ["0000_notes"] }, null, 2));
  edit("package.json", (text) => JSON.stringify({ ...(JSON.parse(text) as object), version: options.version ?? "1.0.0" }, null, 2));
  edit("src/schema.ts", withoutLines(/pinned/));
  // The previous release drew its tool with another icon: a boot of it must not undo the later release's.
  edit("src/database.ts", (text) => withoutLines(/pinned/)(text).replace('icon: "sticky-note"', 'icon: "sticky-note-1.0"'));
  return root;
}
