import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boolean, pgTable, primaryKey, text, varchar } from "drizzle-orm/pg-core";
import { migrate } from "@ydtb/db-migrate";
import { defineDatabase, type DatabaseManifest } from "@ydtb/db-registry";
import { describeDatabases } from "@ydtb/test-db";
import { generatePolicyMigration, missingPolicies, POLICY_NAME, readPolicyState } from "../src/index.ts";
import { registeredManifests } from "./registry-seed.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const items = pgTable("ydtb_gen_items", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
const flags = pgTable("ydtb_gen_flags", { id: text("id").primaryKey(), on: boolean("on").notNull() });
const more = pgTable("ydtb_gen_more", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").notNull() }, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

/** A package folder as drizzle-kit leaves it after its first migration. */
function packageFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-rls-gen-"));
  dirs.push(dir);
  mkdirSync(join(dir, "drizzle", "meta"), { recursive: true });
  writeFileSync(
    join(dir, "drizzle", "0000_init.sql"),
    `CREATE TABLE "ydtb_gen_items" ("workspace_id" varchar(20) NOT NULL, "id" text NOT NULL, PRIMARY KEY ("workspace_id", "id"));\n--> statement-breakpoint\nCREATE TABLE "ydtb_gen_flags" ("id" text PRIMARY KEY, "on" boolean NOT NULL);`,
  );
  writeFileSync(join(dir, "drizzle", "0000_init.down.sql"), `DROP TABLE "ydtb_gen_items";\n--> statement-breakpoint\nDROP TABLE "ydtb_gen_flags";`);
  writeFileSync(join(dir, "drizzle", "meta", "0000_snapshot.json"), JSON.stringify({ id: "11111111-1111-4111-8111-111111111111", prevId: "00000000-0000-0000-0000-000000000000", version: "7", dialect: "postgresql", tables: {} }, null, 2));
  writeFileSync(join(dir, "drizzle", "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries: [{ idx: 0, version: "7", when: 1_700_000_000_000, tag: "0000_init", breakpoints: true }] }, null, 2));
  return dir;
}

const manifest = (dir: string, schema: Record<string, unknown>): DatabaseManifest =>
  defineDatabase({ packageName: "@ydtb/gen", version: "1.0.0", schema, migrations: join(dir, "drizzle"), dependencies: {} });

describe("generatePolicyMigration", () => {
  test("writes the policy migration, its down, a copied snapshot and the journal entry; then nothing until the tables change", () => {
    const dir = packageFolder();
    const first = manifest(dir, { items, flags });
    expect(missingPolicies(first)).toEqual([{ table: "ydtb_gen_items", kind: "missing" }]);
    const dry = generatePolicyMigration(first, { dryRun: true });
    expect(dry.status).toBe("needed");
    expect(existsSync(join(dir, "drizzle", "0001_workspace_rls.sql"))).toBe(false);

    const written = generatePolicyMigration(first, { now: 1_600_000_000_000 });
    expect(written).toMatchObject({ status: "written", migration: "0001_workspace_rls", state: { workspaceTables: ["ydtb_gen_items"], globalTables: ["ydtb_gen_flags"] } });
    const journal = JSON.parse(readFileSync(join(dir, "drizzle", "meta", "_journal.json"), "utf8")) as { entries: { idx: number; when: number; tag: string }[] };
    // A clock behind the last entry still gives a later `when`: drizzle's order stays the journal's.
    expect(journal.entries.map((e) => [e.idx, e.tag, e.when])).toEqual([
      [0, "0000_init", 1_700_000_000_000],
      [1, "0001_workspace_rls", 1_700_000_000_001],
    ]);
    const snapshot = JSON.parse(readFileSync(join(dir, "drizzle", "meta", "0001_snapshot.json"), "utf8")) as { id: string; prevId: string };
    expect(snapshot.prevId).toBe("11111111-1111-4111-8111-111111111111");
    expect(existsSync(join(dir, "drizzle", "0001_workspace_rls.down.sql"))).toBe(true);
    expect(missingPolicies(first)).toEqual([]);
    expect(generatePolicyMigration(first)).toMatchObject({ status: "up-to-date", migration: "0001_workspace_rls" });

    const second = manifest(dir, { items, flags, more });
    expect(missingPolicies(second)).toEqual([{ table: "ydtb_gen_more", kind: "missing", migration: "0001_workspace_rls" }]);
    const next = generatePolicyMigration(second);
    expect(next).toMatchObject({ status: "written", migration: "0002_workspace_rls" });
    const up = readFileSync(join(dir, "drizzle", "0002_workspace_rls.sql"), "utf8");
    expect(up).toContain(`CREATE POLICY "${POLICY_NAME}" ON "ydtb_gen_more"`);
    expect(up).not.toContain(`ON "ydtb_gen_items"`);
    expect(readPolicyState(second)).toEqual({ state: { workspaceTables: ["ydtb_gen_items", "ydtb_gen_more"], globalTables: ["ydtb_gen_flags"] }, migration: "0002_workspace_rls" });
  });

  test("a package without migrations yet misses nothing; one with tables but no journal is told to run drizzle-kit", () => {
    const dir = mkdtempSync(join(tmpdir(), "ydtb-rls-gen-"));
    dirs.push(dir);
    const m = manifest(dir, { items });
    expect(missingPolicies(m)).toEqual([]);
    let code: string | undefined;
    try {
      generatePolicyMigration(m);
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    expect(code).toBe("NO_MIGRATIONS_FOLDER");
  });
});

describeDatabases("a generated policy migration through the engine", (target) => {
  test("applies ENABLE + FORCE + the policy and the grants, rolls back with its package, and applies again", async () => {
    const db = await target.fresh();
    const dir = packageFolder();
    const m = manifest(dir, { items, flags });
    generatePolicyMigration(m);
    const core = (await registeredManifests()).find((x) => x.packageName === "@ydtb/core")!;
    await migrate(db, [core, m]);
    const state = () =>
      db.query<{ relname: string; rls: boolean; forced: boolean; policies: number; granted: boolean }>(
        `SELECT c.relname, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = $1) AS policies,
                has_table_privilege('ydtb_app', c.oid, 'SELECT') AS granted
           FROM pg_class c WHERE c.relname IN ('ydtb_gen_items', 'ydtb_gen_flags') ORDER BY 1`,
        [POLICY_NAME],
      );
    const applied = [
      { relname: "ydtb_gen_flags", rls: false, forced: false, policies: 0, granted: true },
      { relname: "ydtb_gen_items", rls: true, forced: true, policies: 1, granted: true },
    ];
    expect(await state()).toEqual(applied);
    await migrate(db, [core, m], { target: { kind: "steps", steps: 1 } });
    expect(await state()).toEqual(applied.map((r) => ({ ...r, rls: false, forced: false, policies: 0, granted: false })));
    await migrate(db, [core, m]);
    expect(await state()).toEqual(applied);
  });
});
