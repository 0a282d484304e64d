import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EMPTY_POLICY_STATE, policyMarker, policyMigrationSql, type PolicyState } from "@ydtb/db-access";

/** Name of the generated package. */
export const CHAOS_PACKAGE = "@ydtb/chaosgen";

/** Database settings (per database, `ALTER DATABASE … SET`) that slow the generated migrations down. */
export const STEP_SLEEP_SETTING = "ydtb_chaos.step_s";
export const SLOW_SLEEP_SETTING = "ydtb_chaos.slow_s";

/** What {@link writeChaosPackage} wrote: each migration id and the table it creates. */
export interface ChaosPackage {
  readonly migrations: readonly { readonly id: string; readonly table: string }[];
  /** The migration that sleeps `ydtb_chaos.slow_s` seconds (the one connection cuts aim at). */
  readonly slowMigration: string;
}

const tableName = (i: number) => `ydtb_chaosgen_t${String(i).padStart(2, "0")}`;

/** Where PGlite trials put the sleeps (PGlite ignores per-database settings): `ydtb_chaos.knob (step_s, slow_s)`. */
export const PGLITE_KNOB_DDL = "CREATE SCHEMA IF NOT EXISTS ydtb_chaos; CREATE TABLE IF NOT EXISTS ydtb_chaos.knob (step_s float NOT NULL, slow_s float NOT NULL)";

// The database setting, else the knob table (read dynamically: it may not exist), else no sleep.
const sleepFor = (setting: string) => {
  const column = setting.slice(setting.indexOf(".") + 1);
  return `DO $$ DECLARE s float := coalesce(nullif(current_setting('${setting}', true), '')::float, 0);
BEGIN
  IF s = 0 AND to_regclass('ydtb_chaos.knob') IS NOT NULL THEN EXECUTE 'SELECT coalesce(max(${column}), 0) FROM ydtb_chaos.knob' INTO s; END IF;
  PERFORM pg_sleep(s);
END $$;`;
};

/**
 * Writes `packages/chaosgen` into a workspace copy: `count` migrations, each creating one workspace
 * table (primary key, foreign key to ydtb_workspaces) and sleeping `ydtb_chaos.step_s` seconds, the
 * middle one also `ydtb_chaos.slow_s`: a long migration set to kill and cut at random points.
 *
 * @example
 * const pkg = writeChaosPackage(root, 24); // pkg.migrations[0] = { id: "0000_t00", table: "ydtb_chaosgen_t00" }
 */
export function writeChaosPackage(root: string, count: number): ChaosPackage {
  const dir = join(root, "packages", "chaosgen");
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, "drizzle", "meta"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: CHAOS_PACKAGE, version: "0.1.0", private: true, type: "module", dependencies: { "@ydtb/db-core": "workspace:*" } }, null, 2),
  );
  const slowIndex = Math.floor(count / 2);
  const migrations: { id: string; table: string }[] = [];
  const tables: string[] = [];
  const entries: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const table = tableName(i);
    const id = `${String(i).padStart(4, "0")}_t${String(i).padStart(2, "0")}`;
    migrations.push({ id, table });
    tables.push(`export const t${i} = pgTable("${table}", {
  workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }),
  id: text("id").notNull(),
  value: text("value"),
}, (t) => [primaryKey({ name: "${table}_pk", columns: [t.workspaceId, t.id] })]);`);
    const statements = [
      `CREATE TABLE "${table}" (\n\t"workspace_id" varchar(20) NOT NULL,\n\t"id" text NOT NULL,\n\t"value" text,\n\tCONSTRAINT "${table}_pk" PRIMARY KEY("workspace_id","id")\n);`,
      `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;`,
      sleepFor(STEP_SLEEP_SETTING),
      ...(i === slowIndex ? [sleepFor(SLOW_SLEEP_SETTING)] : []),
    ];
    let text = statements.join("\n--> statement-breakpoint\n");
    if (i === count - 1) {
      // The row-level-security policies `bun run db:generate` writes for every table, folded into
      // the last migration (starting with its marker), as the workspace-rls rule requires.
      const rls: PolicyState = { workspaceTables: migrations.map((m) => m.table).sort(), globalTables: [] };
      const marker = policyMarker(rls);
      text = `${marker}\n${text}\n--> statement-breakpoint\n${policyMigrationSql(EMPTY_POLICY_STATE, rls).up.slice(marker.length + 1)}`;
    }
    writeFileSync(join(dir, "drizzle", `${id}.sql`), text);
    entries.push({ idx: i, version: "7", when: 1_700_000_000_000 + i * 1000, tag: id, breakpoints: true });
  }
  writeFileSync(join(dir, "drizzle", "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }, null, 2));
  const descriptions = migrations.map((m) => `    ${m.table}: { description: "Chaos table.", columns: { workspace_id: "Workspace.", id: "Id.", value: "Value." } },`);
  writeFileSync(
    join(dir, "src", "database.ts"),
    `import { primaryKey, pgTable, text } from "drizzle-orm/pg-core";
import { workspaceIdColumn, workspaces } from "@ydtb/db-core";
import { defineDatabase } from "@ydtb/db-registry";

${tables.join("\n\n")}

export default defineDatabase({
  packageName: "${CHAOS_PACKAGE}",
  version: "0.1.0",
  schema: { ${migrations.map((_, i) => `t${i}`).join(", ")} },
  migrations: "./drizzle",
  dependencies: { "@ydtb/core": "^1.0.0" },
  tools: [{ id: "chaos", name: "Chaos", description: "Generated by the fault-injection suite." }],
  descriptions: {
${descriptions.join("\n")}
  },
});
`,
  );
  return { migrations, slowMigration: migrations[slowIndex]!.id };
}
