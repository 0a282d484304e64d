import { describe, expect, test } from "bun:test";
import { pgTable, text, varchar } from "drizzle-orm/pg-core";
import { CORE_PACKAGE, defineDatabase, impliesCore } from "../src/index.ts";

const workspaces = pgTable("ydtb_workspaces", { id: varchar("id", { length: 20 }).primaryKey() });
const scopedTable = pgTable("ydtb_x_items", { workspaceId: varchar("workspace_id", { length: 20 }).notNull().references(() => workspaces.id), id: text("id") });
const loneTable = pgTable("ydtb_x_lone", { id: text("id").primaryKey() });
const child = pgTable("ydtb_x_child", { id: text("id").primaryKey(), loneId: text("lone_id").references(() => loneTable.id) });

describe("impliesCore", () => {
  test("a table referencing outside the package implies core; tables referencing only each other, or none, do not", () => {
    const cases: [string, Parameters<typeof impliesCore>[0], boolean][] = [
      ["references core's workspaces", { packageName: "@x/a", dependencies: {}, tables: [scopedTable] }, true],
      ["references only its own tables", { packageName: "@x/a", dependencies: {}, tables: [loneTable, child] }, false],
      ["only migrations", { packageName: "@x/a", dependencies: {}, tables: [] }, false],
      ["tables not known", { packageName: "@x/a", dependencies: {} }, true],
      ["core itself", { packageName: CORE_PACKAGE, dependencies: {} }, false],
      ["core declared already", { packageName: "@x/a", dependencies: { [CORE_PACKAGE]: "^1.0.0" }, tables: [scopedTable] }, false],
    ];
    expect(cases.map(([what, m]) => [what, impliesCore(m)])).toEqual(cases.map(([what, , want]) => [what, want]));
  });

  test("a manifest that only brings migrations implies nothing", () => {
    expect(impliesCore(defineDatabase({ packageName: "@acme/legacy", version: "1.0.0", migrations: "/abs/drizzle" }))).toBe(false);
  });
});
