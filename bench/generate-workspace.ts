import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { EMPTY_POLICY_STATE, policyMarker, policyMigrationSql, type PolicyState } from "@ydtb/db-access";
import { getTableColumns, getTableName } from "drizzle-orm";
import { join } from "node:path";
import { foreignKey, index, integer, pgTable, primaryKey, text, timestamp, varchar, type AnyPgColumn, type PgTable } from "drizzle-orm/pg-core";
import { workspaces } from "@ydtb/db-core";
import coreDatabase from "@ydtb/db-core/database";
import { defineDatabase, type DatabaseManifest } from "@ydtb/db-registry";

// Core's own migrations, applied alongside the synthetic ones.
const CORE_MIGRATIONS = (JSON.parse(readFileSync(join(coreDatabase.migrations as string, "meta", "_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;

/** Size of a synthetic workspace. */
export interface WorkspaceSize {
  /** Packages (besides @ydtb/core). */
  readonly packages: number;
  /** Migrations per package (at least 1). */
  readonly migrations: number;
  /** Tables per package. Default {@link DEFAULT_TABLES_PER_PACKAGE}. */
  readonly tables?: number;
}

/** 50 packages × 5 tables = the 250 tables the validation target speaks of. */
export const DEFAULT_TABLES_PER_PACKAGE = 5;

/** A generated workspace: manifests (core first) and each package's drizzle-kit folder. */
export interface SyntheticWorkspace {
  readonly manifests: readonly DatabaseManifest[];
  /** Package name → migrations folder, in dependency order (core first). */
  readonly folders: readonly { readonly packageName: string; readonly folder: string }[];
  readonly migrationCount: number;
  readonly tableCount: number;
}

const q = (name: string) => `"${name}"`;
/** A column of a table built from a dynamic column map. */
const col = (table: unknown, key: string): AnyPgColumn => {
  const c = (table as Record<string, AnyPgColumn | undefined>)[key];
  if (!c) throw new Error(`no column ${key}`);
  return c;
};

/**
 * Writes P packages × M drizzle-kit migrations of realistic DDL into `dir` — workspace-scoped
 * tables with composite keys, foreign keys to ydtb_workspaces and between a package's own
 * tables and to a dependency's table, indexes, added columns — and returns their manifests,
 * whose Drizzle tables describe the final schema (so the validator sees the real thing).
 *
 * Package i depends on @ydtb/core and on packages i-1 and i-7 (when they exist).
 */
export function generateWorkspace(dir: string, size: WorkspaceSize): SyntheticWorkspace {
  const tablesPer = size.tables ?? DEFAULT_TABLES_PER_PACKAGE;
  const manifests: DatabaseManifest[] = [coreDatabase];
  const folders = [{ packageName: coreDatabase.packageName, folder: coreDatabase.migrations as string }];
  let migrationCount = 0;
  const firstTables: PgTable[] = [];
  for (let p = 0; p < size.packages; p++) {
    const short = `b${String(p).padStart(4, "0")}`;
    const packageName = `@bench/${short}`;
    const deps = [p - 1, p - 7].filter((d) => d >= 0);
    const folder = join(dir, short, "drizzle");
    mkdirSync(join(folder, "meta"), { recursive: true });
    const tableName = (t: number) => `ydtb_${short}_t${t}`;
    // The statements of each migration, and the extra columns each table ends with.
    const migrations: string[][] = [];
    const extraColumns: Map<number, string[]> = new Map();
    const indexed: Map<number, string[]> = new Map();
    const create: string[] = [];
    for (let t = 0; t < tablesPer; t++) {
      create.push(
        `CREATE TABLE ${q(tableName(t))} (\n\t"workspace_id" varchar(20) NOT NULL,\n\t"id" text NOT NULL,\n\t"title" text NOT NULL,\n\t"parent_id" text,\n\t"created_at" timestamp with time zone DEFAULT now() NOT NULL,\n\tCONSTRAINT ${q(`${tableName(t)}_pk`)} PRIMARY KEY("workspace_id","id")\n);`,
        `ALTER TABLE ${q(tableName(t))} ADD CONSTRAINT ${q(`${tableName(t)}_ws_fk`)} FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;`,
      );
      if (t > 0) {
        create.push(
          `ALTER TABLE ${q(tableName(t))} ADD CONSTRAINT ${q(`${tableName(t)}_parent_fk`)} FOREIGN KEY ("workspace_id","parent_id") REFERENCES "public".${q(tableName(t - 1))}("workspace_id","id") ON DELETE cascade ON UPDATE no action;`,
          `CREATE INDEX ${q(`${tableName(t)}_parent_idx`)} ON ${q(tableName(t))} USING btree ("workspace_id","parent_id");`,
        );
      }
    }
    const dep = deps[0];
    if (dep !== undefined) {
      const depTable = `ydtb_b${String(dep).padStart(4, "0")}_t0`;
      create.push(
        `ALTER TABLE ${q(tableName(0))} ADD COLUMN "ref_id" text;`,
        `ALTER TABLE ${q(tableName(0))} ADD CONSTRAINT ${q(`${tableName(0)}_ref_fk`)} FOREIGN KEY ("workspace_id","ref_id") REFERENCES "public".${q(depTable)}("workspace_id","id") ON DELETE cascade ON UPDATE no action;`,
      );
    }
    migrations.push(create);
    for (let m = 1; m < size.migrations; m++) {
      const t = m % tablesPer;
      const column = `c${m}`;
      extraColumns.set(t, [...(extraColumns.get(t) ?? []), column]);
      const statements = [`ALTER TABLE ${q(tableName(t))} ADD COLUMN ${q(column)} integer DEFAULT 0 NOT NULL;`];
      if (m % 3 === 0) {
        indexed.set(t, [...(indexed.get(t) ?? []), column]);
        statements.push(`CREATE INDEX ${q(`${tableName(t)}_${column}_idx`)} ON ${q(tableName(t))} USING btree ("workspace_id",${q(column)});`);
      }
      migrations.push(statements);
    }
    const journal = { version: "7", dialect: "postgresql", entries: [] as unknown[] };
    // The row-level-security policies `bun run db:generate` writes, folded into the first
    // migration (starting with its marker) so the workspace keeps P × M migrations.
    const rls: PolicyState = { workspaceTables: Array.from({ length: tablesPer }, (_, t) => tableName(t)).sort(), globalTables: [] };
    const marker = policyMarker(rls);
    migrations.forEach((statements, i) => {
      const tag = `${String(i).padStart(4, "0")}_step_${i}`;
      const text = statements.join("\n--> statement-breakpoint\n");
      const policy = i === 0 ? `${marker}\n${text}\n--> statement-breakpoint\n${policyMigrationSql(EMPTY_POLICY_STATE, rls).up.slice(marker.length + 1)}` : text;
      writeFileSync(join(folder, `${tag}.sql`), policy);
      journal.entries.push({ idx: i, version: "7", when: 1_700_000_000_000 + i, tag, breakpoints: true });
    });
    writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify(journal, null, 2));
    migrationCount += migrations.length;

    // The Drizzle tables matching the final schema.
    const tables: Record<string, PgTable> = {};
    const built: PgTable[] = [];
    for (let t = 0; t < tablesPer; t++) {
      const columns: Record<string, ReturnType<typeof text> | ReturnType<typeof integer> | ReturnType<typeof varchar> | ReturnType<typeof timestamp>> = {
        workspaceId: varchar("workspace_id", { length: 20 }).notNull().references(() => workspaces.id, { onDelete: "cascade" }),
        id: text("id").notNull(),
        title: text("title").notNull(),
        parentId: text("parent_id"),
        createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
      };
      if (t === 0 && dep !== undefined) columns.refId = text("ref_id");
      for (const c of extraColumns.get(t) ?? []) columns[c] = integer(c).notNull().default(0);
      const previous = built[t - 1];
      const depTable = dep !== undefined ? firstTables[dep] : undefined;
      const table = pgTable(tableName(t), columns, (c) => [
        primaryKey({ name: `${tableName(t)}_pk`, columns: [col(c, "workspaceId"), col(c, "id")] }),
        ...(previous
          ? [
              foreignKey({ name: `${tableName(t)}_parent_fk`, columns: [col(c, "workspaceId"), col(c, "parentId")], foreignColumns: [col(previous, "workspaceId"), col(previous, "id")] }).onDelete("cascade"),
              index(`${tableName(t)}_parent_idx`).on(col(c, "workspaceId"), col(c, "parentId")),
            ]
          : []),
        ...(t === 0 && depTable
          ? [foreignKey({ name: `${tableName(0)}_ref_fk`, columns: [col(c, "workspaceId"), col(c, "refId")], foreignColumns: [col(depTable, "workspaceId"), col(depTable, "id")] }).onDelete("cascade")]
          : []),
        ...(indexed.get(t) ?? []).map((name) => index(`${tableName(t)}_${name}_idx`).on(col(c, "workspaceId"), col(c, name))),
      ]);
      built.push(table);
      tables[`t${t}`] = table;
    }
    firstTables.push(built[0]!);
    manifests.push(
      defineDatabase({
        packageName,
        version: "1.0.0",
        schema: tables,
        migrations: folder,
        // Documented like a real package, so validation reports nothing and the figure is the rules' cost.
        descriptions: Object.fromEntries(
          built.map((table) => [
            getTableName(table),
            { description: "Synthetic table.", columns: Object.fromEntries(Object.values(getTableColumns(table)).map((c) => [c.name, "Synthetic column."])) },
          ]),
        ),
        dependencies: Object.fromEntries([["@ydtb/core", "^1.0.0"], ...deps.map((d) => [`@bench/b${String(d).padStart(4, "0")}`, "^1.0.0"])]),
      }),
    );
    folders.push({ packageName, folder });
  }
  return { manifests, folders, migrationCount: migrationCount + CORE_MIGRATIONS, tableCount: size.packages * tablesPer + coreDatabase.tables.length };
}
