// Tables and views in a schema other than public: the policy migration grants the runtime role
// USAGE on the schema (without it every query fails with 42501 however the table is granted),
// and rlsDrift reports the grant when it is gone.
import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { pgSchema, text } from "drizzle-orm/pg-core";
import { migrate } from "@ydtb/db-migrate";
import { defineDatabase } from "@ydtb/db-registry";
import { describeDatabases } from "@ydtb/test-db";
import { desiredPolicyState, rlsDrift, RUNTIME_ROLE, withWorkspace, workspacePolicyMigration } from "../src/index.ts";
import { registeredManifests } from "./registry-seed.ts";

const crm = pgSchema("ydtb_su");
const deals = crm.table("ydtb_su_deals", { workspaceId: text("workspace_id").notNull(), id: text("id").notNull() });
const open = crm.view("ydtb_su_open").with({ securityInvoker: true }).as((qb) => qb.select().from(deals));
const schema = { crm, deals, open };
const probe = defineDatabase({ packageName: "@ydtb/su", version: "1.0.0", schema, migrations: [], dependencies: {} });
const manifest = defineDatabase({
  packageName: "@ydtb/su",
  version: "1.0.0",
  schema,
  dependencies: {},
  migrations: [
    {
      id: "0000_deals",
      up: async (db) => {
        await db.execute(sql.raw(`CREATE SCHEMA ydtb_su`));
        await db.execute(sql.raw(`CREATE TABLE ydtb_su.ydtb_su_deals (workspace_id text NOT NULL, id text NOT NULL)`));
        await db.execute(sql.raw(`CREATE VIEW ydtb_su.ydtb_su_open WITH (security_invoker = true) AS SELECT * FROM ydtb_su.ydtb_su_deals`));
      },
      down: async (db) => {
        await db.execute(sql.raw(`DROP SCHEMA ydtb_su CASCADE`));
      },
    },
    workspacePolicyMigration({ id: "0001_workspace_rls", next: desiredPolicyState(probe) }),
  ],
});

describeDatabases("schema usage", (target) => {
  test("the runtime role reaches a table and a view in the package's schema inside withWorkspace; a revoked USAGE is drift", async () => {
    expect(desiredPolicyState(manifest)).toEqual({ workspaceTables: ["ydtb_su.ydtb_su_deals"], globalTables: [], views: ["ydtb_su.ydtb_su_open"], schemas: ["ydtb_su"] });
    const db = await target.fresh();
    const all = [...(await registeredManifests()), manifest];
    expect((await migrate(db, all)).failed).toBe(0);
    await db.exec(`INSERT INTO ydtb_su.ydtb_su_deals VALUES ('ws_a', 'd1'), ('ws_b', 'd2')`);
    const ids = (result: unknown) => (result as { rows: { id: string }[] }).rows.map((r) => r.id);
    expect(await withWorkspace(db.orm, "ws_a", async (tx) => ids(await tx.execute(sql`SELECT id FROM ydtb_su.ydtb_su_deals`)))).toEqual(["d1"]);
    expect(await withWorkspace(db.orm, "ws_b", async (tx) => ids(await tx.execute(sql`SELECT id FROM ydtb_su.ydtb_su_open`)))).toEqual(["d2"]);
    expect(await rlsDrift(db, all)).toEqual([]);
    await db.exec(`REVOKE USAGE ON SCHEMA ydtb_su FROM ${RUNTIME_ROLE}`);
    const drift = await rlsDrift(db, all);
    expect(drift.map((d) => `${d.package} ${d.table} ${d.problem}`)).toEqual(["@ydtb/su ydtb_su schema-usage-missing"]);
    expect(drift[0]?.message).toContain(`GRANT USAGE ON SCHEMA "ydtb_su" TO "${RUNTIME_ROLE}"`);
  });
});
