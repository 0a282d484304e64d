import { describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { boolean, pgMaterializedView, pgSchema, pgTable, pgView, text } from "drizzle-orm/pg-core";
import { desiredPolicyState } from "@ydtb/db-access";
import { users, workspaceMembers } from "../../db-core/src/schema/index.ts";
import { validateManifest } from "../src/index.ts";
import { renderFixes } from "../src/suggested-fix.ts";
import { coreDatabase, hits, pkg, scoped } from "./builders.ts";

// view-isolation: a view over a workspace table needs security_invoker (else it reads past
// row-level security with its owner's rights); a materialized view over one stores every
// workspace's rows and must be declared global. Pure: no database.

const notes = pgTable("ydtb_crm_notes", { ...scoped(), archived: boolean("archived").notNull().default(false) });
const tags = pgTable("ydtb_crm_tags", { id: text("id").primaryKey() });
const plain = pgView("ydtb_crm_open").as((qb) => qb.select().from(notes).where(eq(notes.archived, false)));
const invoker = pgView("ydtb_crm_open_safe").with({ securityInvoker: true }).as((qb) => qb.select().from(notes));
const reports = pgSchema("ydtb_crm");
const inSchema = reports.view("ydtb_crm_in_schema").as((qb) => qb.select({ id: notes.id }).from(notes));
const counts = pgMaterializedView("ydtb_crm_counts").as((qb) => qb.select({ workspaceId: notes.workspaceId, n: sql<number>`count(*)`.as("n") }).from(notes).groupBy(notes.workspaceId));
const globalOnly = pgView("ydtb_crm_tag_list").as((qb) => qb.select().from(tags));
const coreOnly = pgView("ydtb_crm_user_names").as((qb) => qb.select({ id: users.id }).from(users));
const existing = pgView("ydtb_crm_legacy", { id: text("id") }).existing();
const globals = { ydtb_crm_tags: "reference data" };

const run = (schema: Record<string, unknown>, globalTables: Record<string, string> = globals) => validateManifest(pkg("@ydtb/crm", schema, { globalTables }), [coreDatabase]);

describe("view-isolation", () => {
  test("a plain view and a view in a pgSchema over a workspace table are errors, with the security_invoker fix", () => {
    const outcome = run({ notes, tags, plain, reports, inSchema });
    expect(hits(outcome, "view-isolation").map((d) => d.table)).toEqual(["ydtb_crm.ydtb_crm_in_schema", "ydtb_crm_open"]);
    const d = outcome.diagnostics.find((x) => x.rule === "view-isolation" && x.table === "ydtb_crm_open")!;
    expect(d.severity).toBe("error");
    expect(d.message).toContain("bypassing row-level security");
    expect(d.message).toContain('"ydtb_crm_notes"');
    expect(d.fixes).toEqual([{ edits: [{ kind: "view-option", view: "plain", option: "securityInvoker", value: "true" }] }]);
    expect(d.suggestion).toBe(renderFixes(d.fixes ?? []));
  });

  test("security_invoker, views over global tables only (the package's or core's) and .existing() views pass", () => {
    expect(hits(run({ notes, tags, invoker, globalOnly, coreOnly, existing }), "view-isolation")).toEqual([]);
  });

  test("a materialized view over a workspace table is an error until declared global", () => {
    const outcome = run({ notes, tags, counts });
    const d = outcome.diagnostics.find((x) => x.rule === "view-isolation");
    expect(d?.table).toBe("ydtb_crm_counts");
    expect(d?.message).toContain("stores every workspace's rows");
    expect(d?.message).toContain("globalTables");
    expect(d?.fixes?.[0]?.edits[0]).toMatchObject({ kind: "manifest-entry", path: ["globalTables", "ydtb_crm_counts"] });
    expect(hits(run({ notes, tags, counts }, { ...globals, ydtb_crm_counts: "operators' dashboard" }), "view-isolation")).toEqual([]);
  });

  test("a view over another package's workspace table (core's members) is an error too; two tables are named, plural", () => {
    const members = pgView("ydtb_crm_members").as((qb) => qb.select({ userId: workspaceMembers.userId }).from(workspaceMembers));
    const both = pgView("ydtb_crm_both").as((qb) => qb.select({ id: notes.id }).from(notes).innerJoin(workspaceMembers, eq(workspaceMembers.userId, notes.id)));
    const found = run({ notes, tags, members, both }).diagnostics.filter((d) => d.rule === "view-isolation");
    expect(found.map((d) => [d.table, d.message.split(" without ")[0]])).toEqual([
      ["ydtb_crm_both", 'View "ydtb_crm_both" of "@ydtb/crm" reads the workspace tables "ydtb_crm_notes", "ydtb_workspace_members"'],
      ["ydtb_crm_members", 'View "ydtb_crm_members" of "@ydtb/crm" reads the workspace table "ydtb_workspace_members"'],
    ]);
  });

  test("the policy state grants the security_invoker view and the global materialized view, never the others", () => {
    const granted = (schema: Record<string, unknown>, globalTables: Record<string, string> = globals) => desiredPolicyState(pkg("@ydtb/crm", schema, { globalTables })).views ?? [];
    expect(granted({ notes, tags, plain, invoker, counts, globalOnly })).toEqual(["ydtb_crm_open_safe"]);
    expect(granted({ notes, tags, counts }, { ...globals, ydtb_crm_counts: "dashboard" })).toEqual(["ydtb_crm_counts"]);
  });
});
