import { boolean, foreignKey, index, pgTable, primaryKey, text, timestamp, unique } from "drizzle-orm/pg-core";
import { workspaceIdColumn, workspaces } from "@ydtb/db-core";

// Every table starts with workspace_id and keys on (workspace_id, id): rows are isolated by
// workspace, references between tables are composite so they cannot cross workspaces, and
// every index leads with workspace_id.

/** Notes of a workspace. */
export const notes = pgTable(
  "ydtb_basic_notes",
  {
    workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    pinned: boolean("pinned").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "ydtb_basic_notes_pk", columns: [t.workspaceId, t.id] }),
    index("ydtb_basic_notes_workspace_created_idx").on(t.workspaceId, t.createdAt),
    index("ydtb_basic_notes_workspace_pinned_idx").on(t.workspaceId, t.pinned),
  ],
);

/** Tags a workspace uses to group its notes. */
export const tags = pgTable(
  "ydtb_basic_tags",
  {
    workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "ydtb_basic_tags_pk", columns: [t.workspaceId, t.id] }),
    unique("ydtb_basic_tags_workspace_name_unique").on(t.workspaceId, t.name),
  ],
);

/** Which tags each note has. */
export const noteTags = pgTable(
  "ydtb_basic_note_tags",
  {
    workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }),
    noteId: text("note_id").notNull(),
    tagId: text("tag_id").notNull(),
  },
  (t) => [
    primaryKey({ name: "ydtb_basic_note_tags_pk", columns: [t.workspaceId, t.noteId, t.tagId] }),
    foreignKey({ name: "ydtb_basic_note_tags_note_fk", columns: [t.workspaceId, t.noteId], foreignColumns: [notes.workspaceId, notes.id] }).onDelete("cascade"),
    foreignKey({ name: "ydtb_basic_note_tags_tag_fk", columns: [t.workspaceId, t.tagId], foreignColumns: [tags.workspaceId, tags.id] }).onDelete("cascade"),
    index("ydtb_basic_note_tags_workspace_tag_idx").on(t.workspaceId, t.tagId),
  ],
);
