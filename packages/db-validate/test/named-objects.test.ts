import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { index, pgEnum, pgMaterializedView, pgRole, pgSchema, pgSequence, pgTable, pgView, primaryKey, text, unique, uniqueIndex } from "drizzle-orm/pg-core";
import { namedObjects } from "../src/index.ts";
import { pkg } from "./builders.ts";

// Every name a schema puts in PostgreSQL's shared namespaces, explicit or derived: pure.

describe("namedObjects", () => {
  test("types, relations, schemas and roles, each with its schema, kind, table and whether the author wrote the name", () => {
    const side = pgSchema("ydtb_n_side");
    const schema = {
      side,
      mood: side.enum("ydtb_n_mood", ["a"]),
      plain: pgEnum("ydtb_n_plain", ["b"]),
      seq: pgSequence("ydtb_n_seq"),
      open: pgView("ydtb_n_open", { id: text("id") }).as(sql`SELECT 'x' AS id`),
      totals: pgMaterializedView("ydtb_n_totals", { id: text("id") }).as(sql`SELECT 'x' AS id`),
      reader: pgRole("ydtb_n_reader"),
      items: pgTable("ydtb_n_items", { id: text("id").primaryKey(), code: text("code").unique(), slug: text("slug").unique("ydtb_n_slug_key"), a: text("a"), b: text("b") }, (t) => [
        index("ydtb_n_items_a_idx").on(t.a),
        uniqueIndex().on(t.b),
        unique().on(t.a, t.b),
        unique("ydtb_n_ab_key").on(t.b, t.a),
        unique("ydtb_n_items_a_b_unique").on(t.a, t.b),
      ]),
      pairs: side.table("ydtb_n_pairs", { a: text("a"), b: text("b") }, (t) => [primaryKey({ columns: [t.a, t.b] }), primaryKey({ name: "ydtb_n_pairs_named_pk", columns: [t.b, t.a] })]),
    };
    const rows = namedObjects(pkg("@ydtb/n", schema, { descriptions: {} })).map((o) => [o.namespace, o.schema, o.name, o.kind, o.table ?? "", o.explicit]);
    expect(rows).toEqual([
      ["type", "ydtb_n_side", "ydtb_n_mood", "enum", "", true],
      ["type", "public", "ydtb_n_plain", "enum", "", true],
      ["relation", "public", "ydtb_n_seq", "sequence", "", true],
      ["relation", "public", "ydtb_n_open", "view", "", true],
      ["type", "public", "ydtb_n_open", "view", "", true],
      ["relation", "public", "ydtb_n_totals", "materialized view", "", true],
      ["type", "public", "ydtb_n_totals", "materialized view", "", true],
      ["schema", "", "ydtb_n_side", "schema", "", true],
      ["role", "", "ydtb_n_reader", "role", "", true],
      ["relation", "public", "ydtb_n_items", "table", "ydtb_n_items", true],
      ["type", "public", "ydtb_n_items", "table", "ydtb_n_items", true],
      ["relation", "public", "ydtb_n_items_a_idx", "index", "ydtb_n_items", true],
      ["relation", "public", "ydtb_n_items_b_index", "index", "ydtb_n_items", false],
      ["relation", "public", "ydtb_n_items_a_b_unique", "unique constraint", "ydtb_n_items", false],
      ["relation", "public", "ydtb_n_ab_key", "unique constraint", "ydtb_n_items", true],
      ["relation", "public", "ydtb_n_items_a_b_unique", "unique constraint", "ydtb_n_items", false],
      ["relation", "public", "ydtb_n_items_pkey", "primary key", "ydtb_n_items", false],
      ["relation", "public", "ydtb_n_items_code_unique", "unique constraint", "ydtb_n_items", false],
      ["relation", "public", "ydtb_n_slug_key", "unique constraint", "ydtb_n_items", true],
      ["relation", "ydtb_n_side", "ydtb_n_pairs", "table", "ydtb_n_side.ydtb_n_pairs", true],
      ["type", "ydtb_n_side", "ydtb_n_pairs", "table", "ydtb_n_side.ydtb_n_pairs", true],
      ["relation", "ydtb_n_side", "ydtb_n_pairs_a_b_pk", "primary key", "ydtb_n_side.ydtb_n_pairs", false],
      ["relation", "ydtb_n_side", "ydtb_n_pairs_named_pk", "primary key", "ydtb_n_side.ydtb_n_pairs", true],
    ]);
  });
});
