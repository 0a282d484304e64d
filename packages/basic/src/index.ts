export { createNote, listNotes, listTags, type NewNote, type Note } from "./api.ts";
export { default as basicDatabase } from "./database.ts";
export { notes, noteTags, tags } from "./schema.ts";
