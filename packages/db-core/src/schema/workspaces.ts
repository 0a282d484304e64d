import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, varchar } from "drizzle-orm/pg-core";
import { WORKSPACE_ID_LENGTH, workspaceIdColumn } from "../columns.ts";
import { users } from "./auth.ts";


/** Workspaces: the unit of isolation. Every package row belongs to exactly one. */
export const workspaces = pgTable(
  "ydtb_workspaces",
  {
    id: varchar("id", { length: WORKSPACE_ID_LENGTH }).primaryKey(),
    name: text("name").notNull(),
    slug: text("slug").notNull().unique(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("ydtb_workspaces_slug_format", sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]*$'`)],
);

/** Who belongs to which workspace, with a role. */
export const workspaceMembers = pgTable(
  "ydtb_workspace_members",
  {
    workspaceId: workspaceIdColumn()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull().default("member"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "ydtb_workspace_members_pk", columns: [t.workspaceId, t.userId] }),
    index("ydtb_workspace_members_user_id_idx").on(t.userId),
    check("ydtb_workspace_members_role", sql`${t.role} in ('owner', 'admin', 'member')`),
  ],
);
