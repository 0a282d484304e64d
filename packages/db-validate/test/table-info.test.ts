import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  customType,
  doublePrecision,
  foreignKey,
  integer,
  jsonb,
  pgEnum,
  pgSchema,
  pgTable,
  primaryKey,
  serial,
  smallint,
  smallserial,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { builderOf, describeTable, indexColumnNames, sameSet, sqlTypeOf } from "../src/table-info.ts";

// What the rules know of a table, read once: pure, in memory.

describe("describeTable", () => {
  const parent = pgTable("ydtb_t_parent", { id: text("id").primaryKey() });
  const items = pgTable(
    "ydtb_t_items",
    {
      ws: varchar("workspace_id", { length: 20 }).notNull(),
      id: text("id").notNull(),
      code: text("code").unique(),
      slug: text("slug").notNull(),
      title: text("title"),
      parentId: text("parent_id").references(() => parent.id),
      other: text("other"),
    },
    (t) => [
      primaryKey({ columns: [t.ws, t.id] }),
      unique().on(t.ws, t.slug),
      uniqueIndex("ydtb_t_items_title_idx").on(t.title, t.ws),
      uniqueIndex("ydtb_t_items_partial_idx").on(t.other).where(sql`${t.other} IS NOT NULL`),
      uniqueIndex("ydtb_t_items_expr_idx").on(sql`lower(${t.slug})`),
      foreignKey({ columns: [t.other], foreignColumns: [parent.id] }),
    ],
  );

  test("names, keys by SQL name, the primary key in key order, every key set a foreign key may target, the inline foreign keys", () => {
    const info = describeTable(items);
    expect([info.name, info.baseName, info.schema]).toEqual(["ydtb_t_items", "ydtb_t_items", undefined]);
    expect([...info.keys]).toEqual([
      ["workspace_id", "ws"],
      ["id", "id"],
      ["code", "code"],
      ["slug", "slug"],
      ["title", "title"],
      ["parent_id", "parentId"],
      ["other", "other"],
    ]);
    expect(info.primaryKey).toEqual(["workspace_id", "id"]);
    expect(info.keySets).toEqual([["workspace_id", "id"], ["workspace_id", "slug"], ["code"], ["title", "workspace_id"]]);
    expect(info.config.foreignKeys.map((fk) => info.inlineForeignKeys.has(fk))).toEqual([true, false]);
    expect(describeTable(items)).toBe(info);
    expect(describeTable(parent).primaryKey).toEqual(["id"]);
    expect(describeTable(pgTable("ydtb_t_bare", { a: text("a") })).keySets).toEqual([]);
  });

  test("a table in a pgSchema is qualified, its base name kept", () => {
    const info = describeTable(pgSchema("ydtb_side").table("ydtb_side_t", { id: text("id") }));
    expect([info.name, info.baseName, info.schema]).toEqual(["ydtb_side.ydtb_side_t", "ydtb_side_t", "ydtb_side"]);
  });

  test("index columns by SQL name, an expression as undefined", () => {
    const config = describeTable(items).config;
    expect(config.indexes.map(indexColumnNames)).toEqual([["title", "workspace_id"], ["other"], [undefined]]);
  });
});

describe("column builders and types", () => {
  const mood = pgEnum("ydtb_t_mood", ["a"]);
  const point = customType<{ data: string }>({ dataType: () => "point" });
  const t = pgTable("ydtb_t_types", {
    a: bigint("a", { mode: "number" }),
    b: bigserial("b", { mode: "bigint" }),
    c: smallint("c"),
    d: doublePrecision("d"),
    e: uuid("e"),
    f: jsonb("f"),
    g: timestamp("g", { mode: "string", withTimezone: true }),
    h: varchar("h", { length: 5 }),
    i: integer("i"),
    j: mood("j"),
    k: point("k"),
    l: serial("l"),
    m: smallserial("m"),
  });
  const columns = describeTable(t).columns;
  const of = (name: string) => columns.get(name)!;

  test("the drizzle function that builds each column; none for enum and customType columns", () => {
    expect(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"].map((n) => builderOf(of(n)))).toEqual([
      "bigint",
      "bigserial",
      "smallint",
      "doublePrecision",
      "uuid",
      "jsonb",
      "timestamp",
      "varchar",
      "integer",
      undefined,
      undefined,
      "serial",
      "smallserial",
    ]);
  });

  test("serial types compare as the integer they store", () => {
    expect(["l", "b", "m", "i", "h"].map((n) => sqlTypeOf(of(n)))).toEqual(["integer", "bigint", "smallint", "integer", "varchar(5)"]);
  });

  test("sameSet: same names in any order, no more, no fewer", () => {
    expect([sameSet(["a", "b"], ["b", "a"]), sameSet(["a"], ["a", "b"]), sameSet(["a", "b"], ["a"]), sameSet(["a", "a"], ["a", "b"]), sameSet([], [])]).toEqual([true, false, false, false, true]);
  });
});
