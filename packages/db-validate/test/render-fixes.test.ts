import { describe, expect, test } from "bun:test";
import type { SchemaEdit } from "@ydtb/db-registry";
import { importsFor, renderFixes } from "../src/index.ts";

// The text a person reads for each kind of edit, and the imports a fix carries: pure.

describe("renderFixes", () => {
  test("every kind of edit, one line (or two) each", () => {
    const edits: SchemaEdit[] = [
      { kind: "rename", call: "pgEnum", from: "mood", to: "ydtb_x_mood" },
      { kind: "edit-column", table: "items", column: "ws", builder: 'varchar("workspace_id", { length: 20 })', drop: ["defaultRandom", "unique"], append: ".notNull()" },
      { kind: "edit-column", table: "items", column: "wsId", name: "workspace_id" },
      { kind: "edit-column", table: "items", column: "n", name: "n", builder: 'text("n")' },
      { kind: "add-column", table: "items", column: "workspaceId", code: 'varchar("workspace_id")' },
      { kind: "add-entry", table: "items", code: "index().on(t.a)" },
      { kind: "replace-entry", table: "items", entry: { call: "unique", name: "u1", on: ["a", "b"] }, code: "unique().on(t.ws, t.a)" },
      { kind: "first-on", table: "items", entry: { call: "uniqueIndex", on: ["a"] }, column: "ws" },
      { kind: "set-op", table: "items", entry: { call: "index", name: "i1" }, column: "ws", to: "text_ops" },
      { kind: "set-op", table: "items", entry: { call: "index", name: "i1" }, column: "ws" },
      { kind: "remove-table", table: "users" },
      { kind: "import", from: "drizzle-orm/pg-core", names: ["index", "unique"] },
      { kind: "command", command: "bun run db:generate" },
      { kind: "rename-sql", object: "function", file: "drizzle/0001.sql", line: 3, from: "touch", to: "ydtb_x_touch" },
      { kind: "view-option", view: "open", option: "securityInvoker", value: "true" },
      { kind: "manifest-entry", path: ["descriptions", "ydtb_x_t", "columns", "c"], value: '"…"' },
      { kind: "manifest-entry", path: ["globalTables"], value: "{}" },
    ];
    expect(renderFixes([{ edits }]).split("\n")).toEqual([
      'pgEnum("mood", …) → pgEnum("ydtb_x_mood", …)',
      '// items.ws: build it as varchar("workspace_id", { length: 20 }), the rest of its chain kept; remove .defaultRandom(…); remove .unique(…); add .notNull()',
      '// items.wsId: keep its builder, change only its SQL name to "workspace_id"',
      '// items.n: build it as text("n"), the rest of its chain kept',
      "// in the columns of items:",
      'workspaceId: varchar("workspace_id"),',
      "// in the extra config of items, (t) => [ … ]:",
      "index().on(t.a),",
      '// in the extra config of items, instead of unique("u1").on(t.a, t.b):',
      "unique().on(t.ws, t.a),",
      "// in uniqueIndex().on(t.a) of items: t.ws first in its .on(…), the rest as written",
      '// in index("i1") of items: t.ws.op("text_ops")',
      '// in index("i1") of items: t.ws (no .op(…): the type\'s default)',
      "// delete the definition of users, and use core's:",
      'import { index, unique } from "drizzle-orm/pg-core";',
      "bun run db:generate",
      "-- drizzle/0001.sql:3: the function touch → ydtb_x_touch, and every other use of touch in the package's SQL migrations",
      "// the view open: .with({ securityInvoker: true }) before its .as(…)",
      "// in defineDatabase({ … }):",
      'descriptions: { "ydtb_x_t": { "columns": { "c": "…" } } }',
      "// in defineDatabase({ … }):",
      "globalTables: {}",
    ]);
  });

  test("several fixes are a numbered choice, labelled", () => {
    const command = (c: string): SchemaEdit => ({ kind: "command", command: c });
    expect(renderFixes([{ label: "first way", edits: [command("a")] }, { edits: [command("b")] }, { label: "third", edits: [command("c"), command("d")] }])).toBe(
      "// Choose one of 3:\n// (1) first way\na\n// (2) \nb\n// (3) third\nc\nd",
    );
  });
});

describe("importsFor", () => {
  test("the drizzle builders called and core's workspaces named, never a method of the same name", () => {
    expect(importsFor('foreignKey({ columns: [t.a], foreignColumns: [workspaces.id] }).onDelete("cascade")')).toEqual([
      { kind: "import", from: "drizzle-orm/pg-core", names: ["foreignKey"] },
      { kind: "import", from: "@ydtb/db-core/schema", names: ["workspaces"] },
    ]);
    expect(importsFor("uniqueIndex(\"a\").on(t.x)\ntext(\"b\")")).toEqual([{ kind: "import", from: "drizzle-orm/pg-core", names: ["uniqueIndex", "text"] }]);
    expect(importsFor("t.slug.unique() .index() myworkspaces.id workspaces.idx")).toEqual([]);
    expect(importsFor("")).toEqual([]);
  });
});
