// Views under row-level security: the policy migration grants SELECT on a security_invoker view
// (never on a plain one), and rlsDrift reports the grant when it is gone.
import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { pgTable, pgView, text } from "drizzle-orm/pg-core";
import { migrate } from "@ydtb/db-migrate";
import { defineDatabase } from "@ydtb/db-registry";
import { describeDatabases } from "@ydtb/test-db";
import { desiredPolicyState, rlsDrift, RUNTIME_ROLE, workspacePolicyMigration } from "../src/index.ts";
import { registeredManifests } from "./registry-seed.ts";

const items = pgTable("ydtb_vg_items", { workspaceId: text("workspace_id").notNull(), id: text("id").notNull() });
const safe = pgView("ydtb_vg_safe").with({ securityInvoker: true }).as((qb) => qb.select().from(items));
const plain = pgView("ydtb_vg_plain").as((qb) => qb.select().from(items));
const schema = { items, safe, plain };
const probe = defineDatabase({ packageName: "@ydtb/vg", version: "1.0.0", schema, migrations: [], dependencies: {} });
const manifest = defineDatabase({
  packageName: "@ydtb/vg",
  version: "1.0.0",
  schema,
  dependencies: {},
  migrations: [
    {
      id: "0000_items",
      up: async (db) => {
        await db.execute(sql.raw(`CREATE TABLE ydtb_vg_items (workspace_id text NOT NULL, id text NOT NULL)`));
        await db.execute(sql.raw(`CREATE VIEW ydtb_vg_safe WITH (security_invoker = true) AS SELECT * FROM ydtb_vg_items`));
        await db.execute(sql.raw(`CREATE VIEW ydtb_vg_plain AS SELECT * FROM ydtb_vg_items`));
      },
      down: async (db) => {
        await db.execute(sql.raw(`DROP VIEW ydtb_vg_plain; DROP VIEW ydtb_vg_safe; DROP TABLE ydtb_vg_items`));
      },
    },
    workspacePolicyMigration({ id: "0001_workspace_rls", next: desiredPolicyState(probe) }),
  ],
});

describeDatabases("view grants", (target) => {
  test("the security_invoker view is granted, the plain view is not; a revoked grant is drift", async () => {
    expect(desiredPolicyState(manifest).views).toEqual(["ydtb_vg_safe"]);
    const db = await target.fresh();
    const all = [...(await registeredManifests()), manifest];
    expect((await migrate(db, all)).failed).toBe(0);
    const privilege = async (view: string) =>
      (await db.query<{ ok: boolean }>(`SELECT has_table_privilege($1, $2, 'SELECT') AS ok`, [RUNTIME_ROLE, view]))[0]?.ok;
    expect([await privilege("ydtb_vg_safe"), await privilege("ydtb_vg_plain")]).toEqual([true, false]);
    expect(await rlsDrift(db, all)).toEqual([]);
    await db.exec(`REVOKE SELECT ON ydtb_vg_safe FROM ${RUNTIME_ROLE}`);
    const drift = await rlsDrift(db, all);
    expect(drift.map((d) => `${d.package} ${d.table} ${d.problem}`)).toEqual(["@ydtb/vg ydtb_vg_safe grant-missing"]);
    expect(drift[0]?.message).toContain(`GRANT SELECT ON "ydtb_vg_safe" TO "${RUNTIME_ROLE}"`);
  });
});
