import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EMPTY_POLICY_STATE, policyMigrationSql, workspacePolicyMigration } from "@ydtb/db-access";
import { pgTable, primaryKey } from "drizzle-orm/pg-core";
import { validateManifest } from "../src/validate-manifest.ts";
import { coreDatabase, hits, pkg, scoped } from "./builders.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const items = pgTable("ydtb_rls_items", scoped(), (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
const tags = pgTable("ydtb_rls_tags", scoped(), (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

/** A drizzle-kit folder with one migration, and the policy migration for `covered` when given. */
function folder(covered?: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-rls-rule-"));
  dirs.push(dir);
  mkdirSync(join(dir, "meta"));
  writeFileSync(join(dir, "0000_init.sql"), "CREATE TABLE ydtb_rls_items ();");
  const entries = [{ idx: 0, version: "7", when: 1, tag: "0000_init", breakpoints: true }];
  if (covered) {
    writeFileSync(join(dir, "0001_workspace_rls.sql"), policyMigrationSql(EMPTY_POLICY_STATE, { workspaceTables: covered, globalTables: [] }).up);
    entries.push({ idx: 1, version: "7", when: 2, tag: "0001_workspace_rls", breakpoints: true });
  }
  writeFileSync(join(dir, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
  return dir;
}

const rule = (m: Parameters<typeof validateManifest>[0]) => hits(validateManifest(m, [coreDatabase]), "workspace-rls");

describe("workspace-rls", () => {
  test("a workspace table without its policy migration is an error naming the table", () => {
    expect(rule(pkg("@ydtb/rls", { items, tags }, { migrations: folder() }))).toEqual([
      { rule: "workspace-rls", severity: "error", package: "@ydtb/rls", table: "ydtb_rls_items" },
      { rule: "workspace-rls", severity: "error", package: "@ydtb/rls", table: "ydtb_rls_tags" },
    ]);
  });

  test("the latest generated migration must cover every workspace table; covering all is clean", () => {
    expect(rule(pkg("@ydtb/rls", { items, tags }, { migrations: folder(["ydtb_rls_items"]) })).map((d) => d.table)).toEqual(["ydtb_rls_tags"]);
    expect(rule(pkg("@ydtb/rls", { items, tags }, { migrations: folder(["ydtb_rls_items", "ydtb_rls_tags"]) }))).toEqual([]);
  });

  test("an exemption with its reason silences it", () => {
    const outcome = validateManifest(
      pkg("@ydtb/rls", { items }, { migrations: folder(), exemptions: [{ rule: "workspace-rls", table: "ydtb_rls_items", reason: "rows are public by design" }] }),
      [coreDatabase],
    );
    expect(hits(outcome, "workspace-rls")).toEqual([]);
    expect(outcome.exempted.map((e) => [e.diagnostic.rule, e.diagnostic.table, e.reason])).toEqual([["workspace-rls", "ydtb_rls_items", "rows are public by design"]]);
  });

  test("TypeScript migrations are read through workspacePolicyMigration's marker; none at all means no table exists yet", () => {
    const create = { id: "0000_init", up: () => undefined };
    expect(rule(pkg("@ydtb/rls", { items }, { migrations: [create] })).map((d) => d.table)).toEqual(["ydtb_rls_items"]);
    const policy = workspacePolicyMigration({ id: "0001_workspace_rls", next: { workspaceTables: ["ydtb_rls_items"], globalTables: [] } });
    expect(rule(pkg("@ydtb/rls", { items }, { migrations: [create, policy] }))).toEqual([]);
    expect(rule(pkg("@ydtb/rls", { items }, { migrations: [] }))).toEqual([]);
  });

  test("core and basic as committed are clean", () => {
    expect(rule(coreDatabase)).toEqual([]);
  });
});
