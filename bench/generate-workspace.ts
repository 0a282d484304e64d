import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { getTableColumns, getTableName } from "drizzle-orm";
import { foreignKey, index, integer, pgTable, primaryKey, text, timestamp, varchar, type AnyPgColumn, type PgTable } from "drizzle-orm/pg-core";
import { workspaces } from "@ydtb/db-core";
import coreDatabase from "@ydtb/db-core/database";
import { writeFingerprint } from "@ydtb/db-migrate";
import { bindManifest, defineDatabase, type DatabaseManifest } from "@ydtb/db-registry";
import { journalOf, migrationText, planPackage, type WorkspaceSize } from "./synthetic-package.ts";

export { DEFAULT_TABLES_PER_PACKAGE, type WorkspaceSize } from "./synthetic-package.ts";

// Core's own migrations, applied alongside the synthetic ones.
const CORE_MIGRATIONS = (JSON.parse(readFileSync(join(coreDatabase.migrations as string, "meta", "_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;

/** A generated workspace: manifests (core first) and each package's drizzle-kit folder. */
export interface SyntheticWorkspace {
  readonly manifests: readonly DatabaseManifest[];
  /** Package name → migrations folder, in dependency order (core first). */
  readonly folders: readonly { readonly packageName: string; readonly folder: string }[];
  readonly migrationCount: number;
  readonly tableCount: number;
}

/** A column of a table built from a dynamic column map. */
const col = (table: unknown, key: string): AnyPgColumn => {
  const c = (table as Record<string, AnyPgColumn | undefined>)[key];
  if (!c) throw new Error(`no column ${key}`);
  return c;
};

/**
 * Writes P packages × M drizzle-kit migrations (see {@link planPackage}) into `dir` and returns
 * their manifests, built in memory, whose Drizzle tables describe the final schema (so the
 * validator sees the real thing). For packages on disk with their own sources, see
 * `writeWorkspace`.
 *
 * @example
 * const ws = generateWorkspace("/tmp/ws", { packages: 50, migrations: 20 });
 */
export function generateWorkspace(dir: string, size: WorkspaceSize): SyntheticWorkspace {
  // Bound to its package, as discovery binds it: its release attribution (and so its fingerprint) is found.
  const manifests: DatabaseManifest[] = [bindManifest(coreDatabase, { packageDir: dirname(coreDatabase.migrations as string) })];
  const folders = [{ packageName: coreDatabase.packageName, folder: coreDatabase.migrations as string }];
  let migrationCount = 0;
  let tableCount = coreDatabase.tables.length;
  const firstTables: PgTable[] = [];
  for (let p = 0; p < size.packages; p++) {
    const pkg = planPackage(p, size);
    const folder = join(dir, pkg.short, "drizzle");
    mkdirSync(join(folder, "meta"), { recursive: true });
    for (const m of pkg.migrations) writeFileSync(join(folder, `${m.tag}.sql`), migrationText(m.statements));
    writeFileSync(join(folder, "meta", "_journal.json"), journalOf(pkg));
    migrationCount += pkg.migrations.length;

    const built: PgTable[] = [];
    const depTable = p > 0 ? firstTables[p - 1] : undefined;
    for (const t of pkg.tables) {
      const columns: Record<string, ReturnType<typeof text> | ReturnType<typeof integer> | ReturnType<typeof varchar> | ReturnType<typeof timestamp>> = {
        workspaceId: varchar("workspace_id", { length: 20 }).notNull().references(() => workspaces.id, { onDelete: "cascade" }),
        id: text("id").notNull(),
        title: text("title").notNull(),
        parentId: text("parent_id"),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
      };
      if (t.refersTo) columns.refId = text("ref_id");
      for (const c of t.extraColumns) columns[c] = integer(c).notNull().default(0);
      const previous = built[t.index - 1];
      const table = pgTable(t.name, columns, (c) => [
        primaryKey({ name: `${t.name}_pk`, columns: [col(c, "workspaceId"), col(c, "id")] }),
        ...(previous
          ? [
              foreignKey({ name: `${t.name}_parent_fk`, columns: [col(c, "workspaceId"), col(c, "parentId")], foreignColumns: [col(previous, "workspaceId"), col(previous, "id")] }).onDelete("cascade"),
              index(`${t.name}_parent_idx`).on(col(c, "workspaceId"), col(c, "parentId")),
            ]
          : []),
        ...(t.refersTo && depTable
          ? [foreignKey({ name: `${t.name}_ref_fk`, columns: [col(c, "workspaceId"), col(c, "refId")], foreignColumns: [col(depTable, "workspaceId"), col(depTable, "id")] }).onDelete("cascade")]
          : []),
        ...t.indexed.map((name) => index(`${t.name}_${name}_idx`).on(col(c, "workspaceId"), col(c, name))),
      ]);
      built.push(table);
    }
    firstTables.push(built[0]!);
    tableCount += built.length;
    manifests.push(
      defineDatabase({
        packageName: pkg.packageName,
        version: "1.0.0",
        schema: Object.fromEntries(built.map((table, i) => [`t${i}`, table])),
        migrations: folder,
        // Documented like a real package, so validation reports nothing and the figure is the rules' cost.
        descriptions: Object.fromEntries(
          built.map((table) => [
            getTableName(table),
            { description: "Synthetic table.", columns: Object.fromEntries(Object.values(getTableColumns(table)).map((c) => [c.name, "Synthetic column."])) },
          ]),
        ),
        dependencies: Object.fromEntries([["@ydtb/core", "^1.0.0"], ...pkg.dependencies.map((d) => [`@bench/${d}`, "^1.0.0"])]),
      }),
    );
    // As `db:generate` leaves a real package's folder: with its fingerprint.
    writeFingerprint(manifests[manifests.length - 1]!);
    folders.push({ packageName: pkg.packageName, folder });
  }
  return { manifests, folders, migrationCount: migrationCount + CORE_MIGRATIONS, tableCount };
}
