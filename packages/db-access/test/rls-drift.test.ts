// RLS drift: the catalog of a migrated database against what the registry's policy migrations
// put there, broken by hand one way per table.
import { expect, test } from "bun:test";
import { migrate } from "@ydtb/db-migrate";
import { describeDatabases } from "@ydtb/test-db";
import { normalizePolicyExpression, rlsDrift, WORKSPACE_CONDITION } from "../src/index.ts";
import { registeredManifests } from "./registry-seed.ts";

describeDatabases("rlsDrift", (target) => {
  test("clean after the migrations; each hand change is reported on its table, naming the package", async () => {
    const db = await target.fresh();
    const manifests = await registeredManifests();
    await migrate(db, manifests);
    expect(await rlsDrift(db, manifests)).toEqual([]);
    await db.exec(`
      ALTER TABLE ydtb_basic_notes NO FORCE ROW LEVEL SECURITY;
      REVOKE DELETE ON ydtb_basic_notes FROM ydtb_app;
      ALTER TABLE ydtb_basic_tags DISABLE ROW LEVEL SECURITY;
      DROP POLICY ydtb_workspace_isolation ON ydtb_basic_note_tags;
      ALTER POLICY ydtb_workspace_isolation ON ydtb_workspace_tools USING (true);
      CREATE POLICY everyone ON ydtb_workspace_members USING (true);`);
    const found = (await rlsDrift(db, manifests)).map((d) => `${d.package} ${d.table} ${d.problem}`).sort();
    expect(found).toEqual([
      "@ydtb/basic ydtb_basic_note_tags policy-missing",
      "@ydtb/basic ydtb_basic_notes grant-missing",
      "@ydtb/basic ydtb_basic_notes rls-not-forced",
      "@ydtb/basic ydtb_basic_tags rls-disabled",
      "@ydtb/core ydtb_workspace_members extra-policy",
      "@ydtb/core ydtb_workspace_tools policy-altered",
    ]);
  });

  test("a policy that only narrows one command, or drops the fail-closed NULLIF, is altered", async () => {
    const db = await target.fresh();
    const manifests = await registeredManifests();
    await migrate(db, manifests);
    await db.exec(`
      DROP POLICY ydtb_workspace_isolation ON ydtb_basic_notes;
      CREATE POLICY ydtb_workspace_isolation ON ydtb_basic_notes FOR SELECT USING (${WORKSPACE_CONDITION});
      ALTER POLICY ydtb_workspace_isolation ON ydtb_basic_tags USING (workspace_id = current_setting('ydtb.workspace_id', true));`);
    const found = (await rlsDrift(db, manifests)).map((d) => `${d.table} ${d.problem}`).sort();
    expect(found).toEqual(["ydtb_basic_notes policy-altered", "ydtb_basic_tags policy-altered"]);
  });
});

test("normalizePolicyExpression reads PostgreSQL's deparsed policy as the generated condition", () => {
  const deparsed = `((workspace_id)::text = NULLIF(current_setting('ydtb.workspace_id'::text, true), ''::text))`;
  expect(normalizePolicyExpression(deparsed)).toBe(normalizePolicyExpression(WORKSPACE_CONDITION));
  expect(normalizePolicyExpression(`((workspace_id)::text = current_setting('ydtb.workspace_id'::text, true))`)).not.toBe(normalizePolicyExpression(WORKSPACE_CONDITION));
});
