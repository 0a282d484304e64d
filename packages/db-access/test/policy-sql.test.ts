import { describe, expect, test } from "bun:test";
import { EMPTY_POLICY_STATE, parsePolicyMarker, policyMarker, policyMigrationSql, samePolicyState, type PolicyState } from "../src/index.ts";

const statements = (text: string) =>
  text
    .split("--> statement-breakpoint")
    .map((s) => s.replace(/^--.*$/gm, "").trim())
    .filter(Boolean);

describe("policyMigrationSql", () => {
  test("a first migration: the role, ENABLE + FORCE + one policy per workspace table, grants for every table; down undoes it but keeps the role", () => {
    const next: PolicyState = { workspaceTables: ["ydtb_x_items"], globalTables: ["ydtb_x_catalog"] };
    const { up, down } = policyMigrationSql(EMPTY_POLICY_STATE, next);
    const ups = statements(up);
    expect(ups[0]).toStartWith("DO $$");
    expect(ups.slice(1)).toEqual([
      `ALTER TABLE "ydtb_x_items" ENABLE ROW LEVEL SECURITY;`,
      `ALTER TABLE "ydtb_x_items" FORCE ROW LEVEL SECURITY;`,
      `CREATE POLICY "ydtb_workspace_isolation" ON "ydtb_x_items" AS PERMISSIVE FOR ALL TO PUBLIC USING ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), '')) WITH CHECK ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), ''));`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_x_items" TO "ydtb_app";`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_x_catalog" TO "ydtb_app";`,
    ]);
    expect(statements(down)).toEqual([
      `REVOKE SELECT, INSERT, UPDATE, DELETE ON "ydtb_x_items" FROM "ydtb_app";`,
      `REVOKE SELECT, INSERT, UPDATE, DELETE ON "ydtb_x_catalog" FROM "ydtb_app";`,
      `DROP POLICY IF EXISTS "ydtb_workspace_isolation" ON "ydtb_x_items";`,
      `ALTER TABLE "ydtb_x_items" NO FORCE ROW LEVEL SECURITY;`,
      `ALTER TABLE "ydtb_x_items" DISABLE ROW LEVEL SECURITY;`,
    ]);
    expect(parsePolicyMarker(up)).toEqual(next);
  });

  test("a later migration touches only what changed: a new table gets the policy, a table made global loses it, a dropped table is left alone", () => {
    const previous: PolicyState = { workspaceTables: ["ydtb_x_a", "ydtb_x_b", "ydtb_x_gone"], globalTables: [] };
    const next: PolicyState = { workspaceTables: ["ydtb_x_a", "ydtb_x_new"], globalTables: ["ydtb_x_b"] };
    const { up, down } = policyMigrationSql(previous, next);
    const ups = statements(up).slice(1);
    expect(ups.filter((s) => s.includes("ydtb_x_a"))).toEqual([]);
    expect(ups.filter((s) => s.includes("ydtb_x_gone"))).toEqual([]);
    expect(ups.filter((s) => s.includes("ydtb_x_new")).map((s) => s.split(" ").slice(0, 2).join(" "))).toEqual(["ALTER TABLE", "ALTER TABLE", "CREATE POLICY", "GRANT SELECT,"]);
    expect(ups.filter((s) => s.includes("ydtb_x_b"))).toEqual([
      `DROP POLICY IF EXISTS "ydtb_workspace_isolation" ON "ydtb_x_b";`,
      `ALTER TABLE "ydtb_x_b" NO FORCE ROW LEVEL SECURITY;`,
      `ALTER TABLE "ydtb_x_b" DISABLE ROW LEVEL SECURITY;`,
    ]);
    const downs = statements(down);
    expect(downs.filter((s) => s.includes("ydtb_x_b")).map((s) => s.split(" (")[0])).toEqual([
      `ALTER TABLE "ydtb_x_b" ENABLE ROW LEVEL SECURITY;`,
      `ALTER TABLE "ydtb_x_b" FORCE ROW LEVEL SECURITY;`,
      `CREATE POLICY "ydtb_workspace_isolation" ON "ydtb_x_b" AS PERMISSIVE FOR ALL TO PUBLIC USING`,
    ]);
    expect(downs.filter((s) => s.includes("ydtb_x_new"))).toHaveLength(4);
  });

  test("schema-qualified names are quoted part by part", () => {
    const { up } = policyMigrationSql(EMPTY_POLICY_STATE, { workspaceTables: ["crm.ydtb_crm_deals"], globalTables: [] });
    expect(up).toContain(`ALTER TABLE "crm"."ydtb_crm_deals" FORCE ROW LEVEL SECURITY;`);
  });
});

describe("the marker", () => {
  test("round-trips, and (none) reads as no table", () => {
    const state: PolicyState = { workspaceTables: [], globalTables: ["ydtb_users"] };
    expect(policyMarker(state)).toContain("-- workspace tables: (none)");
    expect(parsePolicyMarker(policyMarker(state))).toEqual(state);
  });

  test("a file that is not generated has no marker; a marker without its table lines is refused with a code", () => {
    expect(parsePolicyMarker("CREATE TABLE a ();")).toBeUndefined();
    let code: string | undefined;
    try {
      parsePolicyMarker("-- ydtb:workspace-rls\nSELECT 1;", "0002_workspace_rls.sql");
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    expect(code).toBe("INVALID_POLICY_MARKER");
  });

  test("views: SELECT granted to the runtime role (revoked in the down); a view no longer granted is revoked only if it still exists; no views line without views", () => {
    const next: PolicyState = { workspaceTables: ["ydtb_x_items"], globalTables: [], views: ["ydtb_x_open"] };
    const { up, down } = policyMigrationSql(EMPTY_POLICY_STATE, next);
    expect(statements(up).at(-1)).toBe(`GRANT SELECT ON "ydtb_x_open" TO "ydtb_app";`);
    expect(statements(down)[0]).toBe(`REVOKE SELECT ON "ydtb_x_open" FROM "ydtb_app";`);
    expect(parsePolicyMarker(up)).toEqual(next);
    const later = policyMigrationSql(next, { ...next, views: [] });
    expect(statements(later.up).at(-1)).toContain(`IF to_regclass('"ydtb_x_open"') IS NOT NULL THEN\n    REVOKE SELECT ON "ydtb_x_open" FROM "ydtb_app";`);
    expect(samePolicyState(next, { ...next, views: [] })).toBe(false);
    expect(policyMarker({ workspaceTables: ["a"], globalTables: [] })).not.toContain("-- views:");
  });

  test("schemas: USAGE granted on a schema other than public first (revoked last in the down); revoked only if the schema still exists; no schemas line without them", () => {
    const next: PolicyState = { workspaceTables: ["crm.ydtb_x_deals"], globalTables: [], views: ["crm.ydtb_x_open"], schemas: ["crm"] };
    const { up, down } = policyMigrationSql(EMPTY_POLICY_STATE, next);
    expect(statements(up)[1]).toBe(`GRANT USAGE ON SCHEMA "crm" TO "ydtb_app";`);
    expect(statements(down).at(-1)).toBe(`REVOKE USAGE ON SCHEMA "crm" FROM "ydtb_app";`);
    expect(parsePolicyMarker(up)).toEqual(next);
    expect(statements(policyMigrationSql(next, { ...next, views: [] }).up).join("\n")).not.toContain("USAGE");
    const later = policyMigrationSql(next, { workspaceTables: [], globalTables: [] });
    expect(statements(later.up).at(-1)).toContain(`IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'crm') THEN\n    REVOKE USAGE ON SCHEMA "crm" FROM "ydtb_app";`);
    expect(statements(later.down)[0]).toContain(`GRANT USAGE ON SCHEMA "crm" TO "ydtb_app";`);
    expect(samePolicyState(next, { ...next, schemas: [] })).toBe(false);
    expect(policyMarker({ workspaceTables: ["a"], globalTables: [] })).not.toContain("-- schemas:");
  });

  test("samePolicyState compares both lists", () => {
    expect(samePolicyState({ workspaceTables: ["a"], globalTables: [] }, { workspaceTables: ["a"], globalTables: [] })).toBe(true);
    expect(samePolicyState({ workspaceTables: ["a"], globalTables: [] }, { workspaceTables: [], globalTables: ["a"] })).toBe(false);
  });
});
