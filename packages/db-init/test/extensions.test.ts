import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EMPTY_POLICY_STATE, policyMigrationSql } from "@ydtb/db-access";
import type { Database } from "@ydtb/db-client";
import { coreDatabase, workspaceIdColumn, workspaces } from "@ydtb/db-core";
import { bindManifest, defineDatabase, type DatabaseManifest } from "@ydtb/db-registry";
import { describeDatabases } from "@ydtb/test-db";
import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { ensureExtensions, initDatabase, InitFailedError, neededExtensions } from "../src/index.ts";
import { repoRoot } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "ydtb-ext-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const items = pgTable(
  "ydtb_search_items",
  {
    workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    title: text("title").notNull(),
  },
  (t) => [primaryKey({ name: "ydtb_search_items_pk", columns: [t.workspaceId, t.id] })],
);

mkdirSync(join(dir, "drizzle", "meta"), { recursive: true });
writeFileSync(
  join(dir, "drizzle", "0000_search.sql"),
  `CREATE TABLE "ydtb_search_items" ("workspace_id" varchar(20) NOT NULL, "id" text NOT NULL, "title" text NOT NULL, CONSTRAINT "ydtb_search_items_pk" PRIMARY KEY("workspace_id","id"));
--> statement-breakpoint
ALTER TABLE "ydtb_search_items" ADD CONSTRAINT "ydtb_search_items_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "ydtb_search_items_title_trgm_idx" ON "ydtb_search_items" USING gin ("title" gin_trgm_ops);`,
);
// Its row-level-security policy, as `bun run db:generate` writes it (the workspace-rls rule requires one).
const policy = policyMigrationSql(EMPTY_POLICY_STATE, { workspaceTables: ["ydtb_search_items"], globalTables: [] });
writeFileSync(join(dir, "drizzle", "0001_workspace_rls.sql"), policy.up);
writeFileSync(join(dir, "drizzle", "0001_workspace_rls.down.sql"), policy.down);
writeFileSync(
  join(dir, "drizzle", "meta", "_journal.json"),
  JSON.stringify({
    version: "7",
    dialect: "postgresql",
    entries: [
      { idx: 0, version: "7", when: 1_800_000_000_000, tag: "0000_search", breakpoints: true },
      { idx: 1, version: "7", when: 1_800_000_000_001, tag: "0001_workspace_rls", breakpoints: true },
    ],
  }),
);

/** A package whose migration needs pg_trgm (`extensions` in the manifest). */
function searchPackage(extensions: readonly string[]): DatabaseManifest {
  const manifest = defineDatabase({
    packageName: "@ydtb/search",
    version: "0.1.0",
    schema: { items },
    migrations: "./drizzle",
    dependencies: { "@ydtb/core": "^1.0.0" },
    descriptions: { ydtb_search_items: { description: "Searchable items.", columns: { workspace_id: "Workspace.", id: "Id.", title: "Title, trigram-indexed." } } },
  });
  return { ...bindManifest(manifest, { packageDir: dir }), extensions } as DatabaseManifest;
}
const core = bindManifest(coreDatabase, { packageDir: join(repoRoot, "packages/db-core") });

describeDatabases("manifest extensions", (target) => {
  /** A fresh database; on PGlite, one started with or without the pg_trgm module. */
  async function fresh(loadTrgm: boolean): Promise<Database> {
    return target.fresh(loadTrgm ? { extensions: ["pg_trgm"] } : {});
  }

  test("pg_trgm is created before the package's first migration, once", async () => {
    const db = await fresh(true);
    const manifests = [core, searchPackage(["pg_trgm"])];
    expect(neededExtensions(manifests)).toEqual(["pg_trgm"]);
    const trgm = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_trgm'`))[0]!.n;
    // A dry run checks that the extension is available and creates nothing.
    expect((await initDatabase({ db, manifests, migrate: { dryRun: true } })).report.ok).toBe(true);
    expect(await ensureExtensions(db, manifests, { dryRun: true })).toEqual([]);
    expect(await trgm()).toBe(0);
    const { report } = await initDatabase({ db, manifests });
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.id)).toContain("0000_search");
    expect(await trgm()).toBe(1);
    const [idx] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'ydtb_search_items_title_trgm_idx'`);
    expect(idx!.n).toBe(1);
    // Installed: nothing to create on the next boot.
    expect(await ensureExtensions(db, manifests)).toEqual([]);
  });

  test("an extension the database lacks: a coded error naming it and the package; nothing migrated", async () => {
    const db = await fresh(false);
    const missing = target.kind === "pglite" ? "pg_trgm" : "ydtb_no_such_extension";
    const error = await initDatabase({ db, manifests: [core, searchPackage([missing])] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InitFailedError);
    const report = (error as InitFailedError).report;
    expect(report.error?.code).toBe("EXTENSION_UNAVAILABLE");
    expect(report.failedPhase).toBe("migrate");
    expect(((error as InitFailedError).cause as { extension: string; packages: string[] }).extension).toBe(missing);
    expect(((error as InitFailedError).cause as { extension: string; packages: string[] }).packages).toEqual(["@ydtb/search"]);
    const [history] = await db.query<{ ok: boolean }>(`SELECT to_regclass('ydtb_schema_history') IS NULL AS ok`);
    expect(history!.ok).toBe(true);
  });
});
