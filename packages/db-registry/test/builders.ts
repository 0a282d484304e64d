import { integer, pgEnum, pgTable, text, varchar } from "drizzle-orm/pg-core";
import { defineDatabase } from "../src/index.ts";
import type { DatabaseManifestInput } from "../src/index.ts";

export const mood = pgEnum("ydtb_demo_mood", ["happy", "sad"]);

/** A small valid schema for package `name`: tables `ydtb_<short>_items` and `ydtb_<short>_tags`. */
export function schemaFor(short: string) {
  return {
    items: pgTable(`ydtb_${short}_items`, {
      workspaceId: varchar("workspace_id", { length: 20 }).notNull(),
      id: text("id").primaryKey(),
      count: integer("count"),
    }),
    tags: pgTable(`ydtb_${short}_tags`, {
      workspaceId: varchar("workspace_id", { length: 20 }).notNull(),
      id: text("id").primaryKey(),
    }),
    mood,
  };
}

/** A valid manifest input, with `overrides` applied. */
export function input(overrides: Partial<Record<keyof DatabaseManifestInput, unknown>> = {}): DatabaseManifestInput {
  return {
    packageName: "@ydtb/demo",
    version: "1.0.0",
    schema: schemaFor("demo"),
    migrations: "/abs/drizzle",
    dependencies: { "@ydtb/core": "^1.0.0" },
    ...overrides,
  } as DatabaseManifestInput;
}

export const manifest = (overrides: Partial<Record<keyof DatabaseManifestInput, unknown>> = {}) => defineDatabase(input(overrides));
