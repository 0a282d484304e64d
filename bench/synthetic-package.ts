import { EMPTY_POLICY_STATE, policyMarker, policyMigrationSql, type PolicyState } from "@ydtb/db-access";

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

/** One table of a synthetic package, as its last migration leaves it. */
export interface SyntheticTable {
  readonly index: number;
  readonly name: string;
  /** Integer columns added by later migrations, in order. */
  readonly extraColumns: readonly string[];
  /** Extra columns that got a `(workspace_id, column)` index. */
  readonly indexed: readonly string[];
  /** Table 0 of a package with a dependency has `ref_id` → the dependency's table 0. */
  readonly refersTo?: string;
}

/** A synthetic package: its name, dependencies, tables, and each migration's statements. */
export interface SyntheticPackage {
  /** `b0000`…: the folder name and the table prefix. */
  readonly short: string;
  readonly packageName: string;
  /** Shorts of the packages it depends on (i-1 and i-7 when they exist). */
  readonly dependencies: readonly string[];
  readonly tables: readonly SyntheticTable[];
  /** `{ tag, statements }` per migration, in journal order. */
  readonly migrations: readonly { readonly tag: string; readonly statements: readonly string[] }[];
}

export const shortName = (p: number) => `b${String(p).padStart(4, "0")}`;
const q = (name: string) => `"${name}"`;

/**
 * Plans package `p` of a synthetic workspace (pure): realistic drizzle-kit DDL — workspace-scoped
 * tables keyed on `(workspace_id, id)`, foreign keys to ydtb_workspaces, between the package's own
 * tables and to a dependency's table, indexes, added columns. Package i depends on @ydtb/core
 * and on packages i-1 and i-7 (when they exist).
 *
 * @example
 * const pkg = planPackage(3, { packages: 50, migrations: 20 }); // @bench/b0003, 20 migrations
 */
export function planPackage(p: number, size: WorkspaceSize): SyntheticPackage {
  const tablesPer = size.tables ?? DEFAULT_TABLES_PER_PACKAGE;
  const short = shortName(p);
  const deps = [p - 1, p - 7].filter((d) => d >= 0).map(shortName);
  const tableName = (t: number) => `ydtb_${short}_t${t}`;
  const extra = Array.from({ length: tablesPer }, () => [] as string[]);
  const indexed = Array.from({ length: tablesPer }, () => [] as string[]);
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
  const refersTo = deps[0] !== undefined ? `ydtb_${deps[0]}_t0` : undefined;
  if (refersTo) {
    create.push(
      `ALTER TABLE ${q(tableName(0))} ADD COLUMN "ref_id" text;`,
      `ALTER TABLE ${q(tableName(0))} ADD CONSTRAINT ${q(`${tableName(0)}_ref_fk`)} FOREIGN KEY ("workspace_id","ref_id") REFERENCES "public".${q(refersTo)}("workspace_id","id") ON DELETE cascade ON UPDATE no action;`,
    );
  }
  // The row-level-security policies `bun run db:generate` writes, folded into the first
  // migration (starting with its marker) so the workspace keeps P × M migrations.
  const rls: PolicyState = { workspaceTables: Array.from({ length: tablesPer }, (_, t) => tableName(t)).sort(), globalTables: [] };
  const marker = policyMarker(rls);
  const migrations = [[`${marker}\n${create[0]}`, ...create.slice(1), policyMigrationSql(EMPTY_POLICY_STATE, rls).up.slice(marker.length + 1)]];
  for (let m = 1; m < size.migrations; m++) {
    const t = m % tablesPer;
    const column = `c${m}`;
    extra[t]!.push(column);
    const statements = [`ALTER TABLE ${q(tableName(t))} ADD COLUMN ${q(column)} integer DEFAULT 0 NOT NULL;`];
    if (m % 3 === 0) {
      indexed[t]!.push(column);
      statements.push(`CREATE INDEX ${q(`${tableName(t)}_${column}_idx`)} ON ${q(tableName(t))} USING btree ("workspace_id",${q(column)});`);
    }
    migrations.push(statements);
  }
  return {
    short,
    packageName: `@bench/${short}`,
    dependencies: deps,
    tables: Array.from({ length: tablesPer }, (_, t) => ({
      index: t,
      name: tableName(t),
      extraColumns: extra[t]!,
      indexed: indexed[t]!,
      ...(t === 0 && refersTo ? { refersTo } : {}),
    })),
    migrations: migrations.map((statements, i) => ({ tag: `${String(i).padStart(4, "0")}_step_${i}`, statements })),
  };
}

/** drizzle-kit's journal for a package's migrations. */
export function journalOf(pkg: SyntheticPackage): string {
  const entries = pkg.migrations.map((m, i) => ({ idx: i, version: "7", when: 1_700_000_000_000 + i, tag: m.tag, breakpoints: true }));
  return JSON.stringify({ version: "7", dialect: "postgresql", entries }, null, 2);
}

/** A migration file's text, statements separated as drizzle-kit separates them. */
export const migrationText = (statements: readonly string[]) => statements.join("\n--> statement-breakpoint\n");
