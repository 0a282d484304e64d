import { varchar } from "drizzle-orm/pg-core";

/** Length of a workspace id: every package's `workspace_id` column is `varchar(20)`. */
export const WORKSPACE_ID_LENGTH = 20;

/**
 * The `workspace_id` column every package table starts with: `varchar(20) NOT NULL`.
 * Add its foreign key to `workspaces.id` with `onDelete: "cascade"`.
 *
 * @example
 * export const notes = pgTable("ydtb_notes_items", {
 *   workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }),
 * });
 */
export const workspaceIdColumn = () => varchar("workspace_id", { length: WORKSPACE_ID_LENGTH }).notNull();
