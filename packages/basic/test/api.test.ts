import { expect, test } from "bun:test";
import { resolve } from "node:path";
import { DbAccessError, withWorkspace } from "@ydtb/db-access";
import { workspaces } from "@ydtb/db-core";
import { initDatabase } from "@ydtb/db-init";
import { describeDatabases } from "@ydtb/test-db";
import { createNote, listNotes, listTags, notes } from "../src/index.ts";

const repoRoot = resolve(import.meta.dir, "../../..");

describeDatabases("@ydtb/basic API", (target) => {
  test("each workspace sees and tags only its own notes", async () => {
    const db = await target.fresh();
    await initDatabase({ db, rootDir: repoRoot });
    await db.orm.insert(workspaces).values([
      { id: "ws_1", name: "One", slug: "one" },
      { id: "ws_2", name: "Two", slug: "two" },
    ]);
    await createNote(db.orm, "ws_1", { title: "First", tags: ["inbox", "later"] });
    await createNote(db.orm, "ws_1", { title: "Pinned", pinned: true });
    await createNote(db.orm, "ws_2", { title: "Other", tags: ["inbox"] });
    expect((await listNotes(db.orm, "ws_1")).map((n) => [n.title, n.pinned, n.tags])).toEqual([
      ["Pinned", true, []],
      ["First", false, ["inbox", "later"]],
    ]);
    expect((await listNotes(db.orm, "ws_2", { tag: "inbox" })).map((n) => n.title)).toEqual(["Other"]);
    expect(await listTags(db.orm, "ws_1")).toEqual(["inbox", "later"]);
    expect(await listTags(db.orm, "ws_2")).toEqual(["inbox"]);
    // A query without a workspace filter, in the caller's own withWorkspace: the policy still filters.
    expect((await withWorkspace(db.orm, "ws_2", (tx) => tx.select({ title: notes.title }).from(notes))).map((n) => n.title)).toEqual(["Other"]);
  });

  test("inside the caller's withWorkspace the API joins its transaction, and refuses another workspace", async () => {
    const db = await target.fresh();
    await initDatabase({ db, rootDir: repoRoot });
    await db.orm.insert(workspaces).values([{ id: "ws_1", name: "One", slug: "one" }]);
    const titles = await withWorkspace(db.orm, "ws_1", async (tx) => {
      await createNote(tx, "ws_1", { title: "Together" });
      return (await listNotes(tx, "ws_1")).map((n) => n.title);
    });
    expect(titles).toEqual(["Together"]);
    let code: string | undefined;
    try {
      await withWorkspace(db.orm, "ws_1", (tx) => createNote(tx, "ws_2", { title: "Elsewhere" }));
    } catch (error) {
      code = error instanceof DbAccessError ? error.code : undefined;
    }
    expect(code).toBe("WORKSPACE_MISMATCH");
  });
});
