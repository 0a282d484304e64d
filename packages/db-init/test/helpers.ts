import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { EMPTY_POLICY_STATE, policyMigrationSql } from "@ydtb/db-access";
import { discoverDatabasesOrThrow, type DatabaseManifest } from "@ydtb/db-registry";

/** The monorepo this test runs in. */
export const repoRoot = resolve(import.meta.dir, "../../..");

let realManifests: Promise<readonly DatabaseManifest[]> | undefined;
/** The real workspace's manifests (@ydtb/core, @ydtb/basic), discovered once per file. */
export function workspaceManifests(): Promise<readonly DatabaseManifest[]> {
  realManifests ??= discoverDatabasesOrThrow(repoRoot);
  return realManifests;
}

/** The packages a workspace copy holds by default: enough for turbo and the command line. */
export const COPIED_PACKAGES = ["db-core", "basic", "db-init", "db-registry", "db-validate", "db-migrate", "db-client"] as const;

/**
 * A temporary copy of the workspace (root files, the given packages, tooling), inside the
 * repository (`.tmp/`, ignored by git) so the copies' imports of drizzle-orm and @ydtb/*
 * resolve through its node_modules. Remove it with {@link removeWorkspace}.
 */
export function copyWorkspace(options: { readonly packages?: readonly string[] } = {}): string {
  const base = join(repoRoot, ".tmp");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "ws-"));
  for (const file of ["package.json", "turbo.json", "bunfig.toml", "tsconfig.base.json"]) cpSync(join(repoRoot, file), join(dir, file));
  const skip = (src: string) => !/(node_modules|\.turbo|\.data)(\/|$)/.test(src);
  for (const pkg of options.packages ?? COPIED_PACKAGES) {
    cpSync(join(repoRoot, "packages", pkg), join(dir, "packages", pkg), { recursive: true, filter: skip });
  }
  cpSync(join(repoRoot, "tooling"), join(dir, "tooling"), { recursive: true, filter: skip });
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** Writes a small valid package `@ydtb/<short>` with one table and one migration into a workspace copy. */
export function addPackage(root: string, short: string): void {
  const dir = join(root, "packages", short);
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, "drizzle", "meta"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: `@ydtb/${short}`, version: "0.1.0", private: true, type: "module", scripts: { "db:migrate": `ydtb-db migrate --package @ydtb/${short}` }, dependencies: { "@ydtb/db-core": "workspace:*" } }, null, 2),
  );
  writeFileSync(
    join(dir, "src", "database.ts"),
    `import { primaryKey, pgTable, text } from "drizzle-orm/pg-core";
import { workspaceIdColumn, workspaces } from "@ydtb/db-core";
import { defineDatabase } from "@ydtb/db-registry";

export const items = pgTable("ydtb_${short}_items", {
  workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }),
  id: text("id").notNull(),
  title: text("title").notNull(),
}, (t) => [primaryKey({ name: "ydtb_${short}_items_pk", columns: [t.workspaceId, t.id] })]);

export default defineDatabase({
  packageName: "@ydtb/${short}",
  version: "0.1.0",
  schema: { items },
  migrations: "./drizzle",
  dependencies: { "@ydtb/core": "^1.0.0" },
  descriptions: { ydtb_${short}_items: { description: "Items.", columns: { workspace_id: "Workspace.", id: "Id.", title: "Title." } } },
});
`,
  );
  writeFileSync(
    join(dir, "drizzle", "0000_init.sql"),
    `CREATE TABLE "ydtb_${short}_items" (
\t"workspace_id" varchar(20) NOT NULL,
\t"id" text NOT NULL,
\t"title" text NOT NULL,
\tCONSTRAINT "ydtb_${short}_items_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "ydtb_${short}_items" ADD CONSTRAINT "ydtb_${short}_items_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;`,
  );
  // What `bun run db:generate` writes after drizzle-kit: the table's row-level-security migration.
  const policy = policyMigrationSql(EMPTY_POLICY_STATE, { workspaceTables: [`ydtb_${short}_items`], globalTables: [] });
  writeFileSync(join(dir, "drizzle", "0001_workspace_rls.sql"), policy.up);
  writeFileSync(join(dir, "drizzle", "0001_workspace_rls.down.sql"), policy.down);
  const entries = [
    { idx: 0, version: "7", when: 1_700_000_000_000, tag: "0000_init", breakpoints: true },
    { idx: 1, version: "7", when: 1_700_000_000_001, tag: "0001_workspace_rls", breakpoints: true },
  ];
  writeFileSync(join(dir, "drizzle", "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }, null, 2));
}

/** Removes a workspace copy. */
export const removeWorkspace = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** Collects what the command line writes. */
export function captureIO(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env, cwd: repoRoot },
    json: <T = Record<string, unknown>>() => JSON.parse(out.join("\n")) as T,
  };
}
