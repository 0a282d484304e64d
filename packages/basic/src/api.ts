import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { withWorkspace } from "@ydtb/db-access";
import type { Orm } from "@ydtb/db-registry";
import { notes, noteTags, tags } from "./schema.ts";

// Every function runs in withWorkspace(): one transaction as the runtime role with the workspace
// set, so the row-level-security policies show and accept only this workspace's rows even where
// a query forgets its filter. The explicit workspace filters stay: they say what is meant and
// let the planner use the workspace indexes with a constant.

/** A note with its tag names. */
export interface Note {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly pinned: boolean;
  readonly tags: readonly string[];
  readonly createdAt: Date;
}

/** What {@link createNote} takes. */
export interface NewNote {
  readonly title: string;
  readonly body?: string;
  readonly pinned?: boolean;
  /** Tag names; missing tags are created in the same workspace. */
  readonly tags?: readonly string[];
}

const newId = () => crypto.randomUUID().replaceAll("-", "");

/**
 * Creates a note (and any missing tags) in one workspace, in one transaction.
 *
 * @example
 * const note = await createNote(db.orm, "ws_1", { title: "Hello", tags: ["inbox"] });
 */
export async function createNote(db: Orm, workspaceId: string, input: NewNote): Promise<Note> {
  return withWorkspace(db, workspaceId, async (tx) => {
    const id = newId();
    const [row] = await tx
      .insert(notes)
      .values({ workspaceId, id, title: input.title, body: input.body ?? "", pinned: input.pinned ?? false })
      .returning();
    const names = [...new Set(input.tags ?? [])];
    if (names.length > 0) {
      await tx
        .insert(tags)
        .values(names.map((name) => ({ workspaceId, id: newId(), name })))
        .onConflictDoNothing({ target: [tags.workspaceId, tags.name] });
      const found = await tx
        .select({ id: tags.id })
        .from(tags)
        .where(and(eq(tags.workspaceId, workspaceId), inArray(tags.name, names)));
      await tx.insert(noteTags).values(found.map((t) => ({ workspaceId, noteId: id, tagId: t.id })));
    }
    return { id, title: row!.title, body: row!.body, pinned: row!.pinned, tags: names.sort(), createdAt: row!.createdAt };
  });
}

/**
 * Lists a workspace's notes, pinned first then newest, optionally only those with a tag.
 *
 * @example
 * const inbox = await listNotes(db.orm, "ws_1", { tag: "inbox" });
 */
export async function listNotes(db: Orm, workspaceId: string, options: { readonly tag?: string } = {}): Promise<Note[]> {
  const rows = await withWorkspace(db, workspaceId, (tx) =>
    tx
      .select({ note: notes, tag: tags.name })
      .from(notes)
      .leftJoin(noteTags, and(eq(noteTags.workspaceId, notes.workspaceId), eq(noteTags.noteId, notes.id)))
      .leftJoin(tags, and(eq(tags.workspaceId, noteTags.workspaceId), eq(tags.id, noteTags.tagId)))
      .where(eq(notes.workspaceId, workspaceId))
      .orderBy(desc(notes.pinned), desc(notes.createdAt), asc(notes.id)),
  );
  const byId = new Map<string, { note: (typeof rows)[number]["note"]; tags: string[] }>();
  for (const { note, tag } of rows) {
    const entry = byId.get(note.id) ?? { note, tags: [] };
    if (tag) entry.tags.push(tag);
    byId.set(note.id, entry);
  }
  return [...byId.values()]
    .filter((e) => !options.tag || e.tags.includes(options.tag))
    .map(({ note, tags: names }) => ({ id: note.id, title: note.title, body: note.body, pinned: note.pinned, tags: names.sort(), createdAt: note.createdAt }));
}

/**
 * Lists a workspace's tag names, alphabetically.
 *
 * @example
 * await listTags(db.orm, "ws_1"); // ["inbox", "later"]
 */
export async function listTags(db: Orm, workspaceId: string): Promise<string[]> {
  const rows = await withWorkspace(db, workspaceId, (tx) => tx.select({ name: tags.name }).from(tags).where(eq(tags.workspaceId, workspaceId)).orderBy(asc(tags.name)));
  return rows.map((r) => r.name);
}
