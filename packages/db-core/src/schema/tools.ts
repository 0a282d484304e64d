import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, varchar } from "drizzle-orm/pg-core";
import { workspaceIdColumn } from "../columns.ts";
import { workspaces } from "./workspaces.ts";

/** The catalog of workspace tools, synced from package manifests at boot. Global. */
export const tools = pgTable(
  "ydtb_tools",
  {
    id: varchar("id", { length: 20 }).primaryKey(),
    name: text("name").notNull(),
    description: text("description"),
    icon: text("icon"),
    isActive: boolean("is_active").notNull().default(true),
    packageName: text("package_name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ydtb_tools_package_name_idx").on(t.packageName)],
);

/** Which tools each workspace has enabled. */
export const workspaceTools = pgTable(
  "ydtb_workspace_tools",
  {
    workspaceId: workspaceIdColumn()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    toolId: varchar("tool_id", { length: 20 })
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    enabledAt: timestamp("enabled_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // The primary key is the seed's unique (workspace_id, tool_id), and leads with workspace_id.
  (t) => [primaryKey({ name: "ydtb_workspace_tools_pk", columns: [t.workspaceId, t.toolId] }), index("ydtb_workspace_tools_tool_id_idx").on(t.toolId)],
);
