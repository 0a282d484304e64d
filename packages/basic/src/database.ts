import { defineDatabase } from "@ydtb/db-registry";
import pkg from "../package.json" with { type: "json" };
import * as schema from "./schema.ts";

/** The worked example: copy this package to start a new one (see the README). */
export default defineDatabase({
  packageName: "@ydtb/basic",
  version: pkg.version,
  schema,
  migrations: "./drizzle",
  dependencies: { "@ydtb/core": "^1.0.0" },
  tools: [{ id: "notes", name: "Notes", description: "Workspace notes with tags.", icon: "sticky-note" }],
  descriptions: {
    ydtb_basic_notes: {
      description: "Notes of a workspace.",
      columns: {
        workspace_id: "The workspace the note belongs to.",
        id: "Note id, unique within its workspace.",
        title: "Headline shown in lists.",
        body: "Markdown text of the note.",
        pinned: "Pinned notes are listed first (since 1.1.0).",
        created_at: "When the note was written.",
        updated_at: "When the note was last edited.",
      },
    },
    ydtb_basic_tags: {
      description: "Tags a workspace uses to group its notes; names are unique per workspace.",
      columns: {
        workspace_id: "The workspace the tag belongs to.",
        id: "Tag id, unique within its workspace.",
        name: "Tag name, unique within its workspace.",
        created_at: "When the tag was created.",
      },
    },
    ydtb_basic_note_tags: {
      description: "Which tags each note has; both sides in the same workspace.",
      columns: {
        workspace_id: "The workspace of the note and the tag.",
        note_id: "The tagged note.",
        tag_id: "The tag.",
      },
    },
  },
});
