import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getTableConfig } from "drizzle-orm/pg-core";
import { createRegistry, type DatabaseManifest, type Registry } from "@ydtb/db-registry";
import { migrationStatus } from "@ydtb/db-migrate";
import { createTestDatabase, type TestDatabase } from "@ydtb/test-db";
import { initDatabase, WatchModeError, watchDatabases, type DatabaseWatcher, type WatchEvent } from "../src/index.ts";

import { addPackage, copyWorkspace } from "./helpers.ts";

let root: string;
let db: TestDatabase;
let registry: Registry;
let watcher: DatabaseWatcher;
const events: WatchEvent[] = [];
const lines: string[] = [];

const basicDir = () => join(root, "packages", "basic");
const basicFile = (path: string) => join(basicDir(), path);
const edit = (file: string, from: string, to: string) => {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`"${from}" is not in ${file}`);
  writeFileSync(file, text.replace(from, to));
};

/** Polls every 100 ms, up to 20 s, for an event after `mark` that matches. */
async function waitForEvent<K extends WatchEvent["kind"]>(mark: number, kind: K, match: (e: Extract<WatchEvent, { kind: K }>) => boolean = () => true): Promise<Extract<WatchEvent, { kind: K }>> {
  for (let waited = 0; waited <= 20_000; waited += 100) {
    const found = events.slice(mark).find((e): e is Extract<WatchEvent, { kind: K }> => e.kind === kind && match(e as Extract<WatchEvent, { kind: K }>));
    if (found) return found;
    await Bun.sleep(100);
  }
  throw new Error(`no "${kind}" event within 20 s; events since the change:\n${lines.slice(mark).join("\n")}`);
}

/** Waits for the reload a change caused to finish, then returns the events it produced. */
async function reloadAfter(mark: number): Promise<WatchEvent[]> {
  await waitForEvent(mark, "reloaded");
  await watcher.idle();
  return events.slice(mark);
}

const columnsOf = (manifest: DatabaseManifest | undefined, table: string) =>
  getTableConfig(manifest!.tables.find((t) => getTableConfig(t).name === table)!).columns.map((c) => c.name);

// Every test gets its own workspace copy, database and watcher: none depends on another's edits.
beforeEach(async () => {
  events.length = 0;
  lines.length = 0;
  root = copyWorkspace({ packages: ["db-core", "basic"] });
  db = await createTestDatabase("pglite");
  ({ registry } = await initDatabase({ db, rootDir: root, mode: "development" }));
  watcher = watchDatabases({
    db,
    rootDir: root,
    registry,
    debounceMs: 100,
    onEvent: (e) => events.push(e),
    // Lines and events stay index-aligned: one line per event (the start-up line excluded).
    log: (line) => {
      if (!line.includes("watching")) lines.push(line);
    },
  });
});

afterEach(async () => {
  await watcher?.close();
  await db?.dispose();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("watchDatabases", () => {
  test("refuses a production registry: outside development nothing is watched", () => {
    let error: unknown;
    try {
      watchDatabases({ db, rootDir: root, registry: createRegistry() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WatchModeError);
    expect((error as WatchModeError).code).toBe("WATCH_NEEDS_DEVELOPMENT");
  });

  test("an edited schema.ts is re-imported: replaced with the altered table, validated, and the drift SQL", async () => {
    const mark = events.length;
    edit(basicFile("src/schema.ts"), `    pinned: boolean("pinned")`, `    archived: boolean("archived").notNull().default(false),\n    pinned: boolean("pinned")`);
    const replaced = await waitForEvent(mark, "replaced", (e) => e.package === "@ydtb/basic");
    expect(replaced.changes.tablesAltered).toEqual(["ydtb_basic_notes"]);
    expect(replaced.changes.tablesAdded).toEqual([]);
    const drift = await waitForEvent(mark, "drift", (e) => e.package === "@ydtb/basic");
    expect(drift.drift.kind).toBe("drift");
    if (drift.drift.kind === "drift") expect(drift.drift.sql.join("\n")).toContain(`ADD COLUMN "archived" boolean DEFAULT false NOT NULL`);
    // The new column has no description: the documentation rule warns.
    const diagnostics = await waitForEvent(mark, "diagnostics", (e) => e.package === "@ydtb/basic");
    expect(diagnostics.diagnostics.some((d) => d.column === "archived" && d.severity === "warning")).toBe(true);
    expect(columnsOf(registry.get("@ydtb/basic"), "ydtb_basic_notes")).toContain("archived");
    await reloadAfter(mark);
  });

  test("a rename is reported as a question for drizzle-kit, never a hang, even in a terminal", async () => {
    // Look like a terminal, where drizzle-kit would open its prompt and wait for an answer.
    const saved = { stdin: Object.getOwnPropertyDescriptor(process.stdin, "isTTY"), stdout: Object.getOwnPropertyDescriptor(process.stdout, "isTTY") };
    Object.defineProperty(process.stdin, "isTTY", { value: true, configurable: true, writable: true });
    Object.defineProperty(process.stdout, "isTTY", { value: true, configurable: true, writable: true });
    const mark = events.length;
    try {
      edit(basicFile("src/schema.ts"), `title: text("title")`, `title: text("headline")`);
      edit(basicFile("src/database.ts"), `        title: "Headline`, `        headline: "Headline`);
      const drift = await waitForEvent(mark, "drift", (e) => e.package === "@ydtb/basic");
      expect(drift.drift.kind).toBe("rename");
      await reloadAfter(mark);
      expect(process.stdout.isTTY).toBe(true);
    } finally {
      for (const [stream, descriptor] of [[process.stdin, saved.stdin], [process.stdout, saved.stdout]] as const) {
        if (descriptor) Object.defineProperty(stream, "isTTY", descriptor);
        else delete (stream as { isTTY?: boolean }).isTTY;
      }
    }
    // A second edit of the same file is seen too: no generation of the module is cached.
    expect(columnsOf(registry.get("@ydtb/basic"), "ydtb_basic_notes")).toContain("headline");

    const back = events.length;
    edit(basicFile("src/schema.ts"), `title: text("headline")`, `title: text("title")`);
    edit(basicFile("src/database.ts"), `        headline: "Headline`, `        title: "Headline`);
    await waitForEvent(back, "replaced", (e) => e.package === "@ydtb/basic");
    // Back to the migrations' schema: no drift left to report.
    expect((await reloadAfter(back)).filter((e) => e.kind === "drift")).toEqual([]);
    expect(columnsOf(registry.get("@ydtb/basic"), "ydtb_basic_notes")).toContain("title");
  });

  test("a new migration with its snapshot is applied through the engine, and the drift is gone", async () => {
    const edited = events.length;
    edit(basicFile("src/schema.ts"), `    pinned: boolean("pinned")`, `    archived: boolean("archived").notNull().default(false),\n    pinned: boolean("pinned")`);
    await waitForEvent(edited, "drift", (e) => e.package === "@ydtb/basic");
    await reloadAfter(edited);
    const { generateDrizzleJson } = await import("drizzle-kit/api");
    const folder = basicFile("drizzle");
    const previous = JSON.parse(readFileSync(join(folder, "meta", "0002_snapshot.json"), "utf8")) as { id: string };
    const snapshot = generateDrizzleJson(registry.get("@ydtb/basic")!.schema as Record<string, unknown>, previous.id);
    const mark = events.length;
    // drizzle-kit's order: the SQL and the snapshot, then the journal.
    writeFileSync(join(folder, "0003_archived.sql"), `ALTER TABLE "ydtb_basic_notes" ADD COLUMN "archived" boolean DEFAULT false NOT NULL;`);
    writeFileSync(join(folder, "meta", "0003_snapshot.json"), JSON.stringify(snapshot, null, 2));
    const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as { entries: object[] };
    journal.entries.push({ idx: 3, version: "7", when: Date.now(), tag: "0003_archived", breakpoints: true });
    writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify(journal, null, 2));

    const migrated = await waitForEvent(mark, "migrated");
    expect(migrated.steps.map((s) => `${s.package} ${s.id}`)).toEqual(["@ydtb/basic 0003_archived"]);
    const produced = await reloadAfter(mark);
    expect(produced.filter((e) => e.kind === "drift")).toEqual([]);
    const status = await migrationStatus(db, registry.list());
    expect(status.find((p) => p.package === "@ydtb/basic")?.applied).toContain("0003_archived");
    const columns = await db.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'ydtb_basic_notes' AND column_name = 'archived'`);
    expect(columns).toHaveLength(1);
  });

  test("a new package folder is discovered, registered and migrated", async () => {
    const mark = events.length;
    addPackage(root, "extra");
    const registered = await waitForEvent(mark, "registered", (e) => e.package === "@ydtb/extra");
    expect(registered.warnings.filter((d) => d.severity === "error")).toEqual([]);
    await reloadAfter(mark);
    expect(registry.has("@ydtb/extra")).toBe(true);
    const rows = await db.query<{ t: string | null }>(`SELECT to_regclass('public.ydtb_extra_items')::text AS t`);
    expect(rows[0]?.t).toBe("ydtb_extra_items");
    const status = await migrationStatus(db, registry.list());
    expect(status.find((p) => p.package === "@ydtb/extra")?.applied).toEqual(["0000_init", "0001_workspace_rls"]);
  });

  test("a syntax error is reported and the last good manifest kept; fixing it is seen", async () => {
    const before = registry.get("@ydtb/basic");
    const file = basicFile("src/database.ts");
    const good = readFileSync(file, "utf8");
    const mark = events.length;
    writeFileSync(file, good.replace(`  schema,\n`, `  schema,,\n`));
    const error = await waitForEvent(mark, "error", (e) => e.package === "@ydtb/basic");
    expect(error.phase).toBe("discover");
    // The cause keeps the file and line of the syntax error.
    const line = good.split("\n").findIndex((l) => l === "  schema,") + 1;
    expect(error.causes?.some((c) => c.location?.startsWith(`${file}:${line}:`))).toBe(true);
    await reloadAfter(mark);
    expect(registry.get("@ydtb/basic")).toBe(before!);

    // A module that failed to load must not stay failed in the module cache.
    const fixed = events.length;
    writeFileSync(file, good.replace(`  version: pkg.version,`, `  version: "1.2.0",`));
    const replaced = await waitForEvent(fixed, "replaced", (e) => e.package === "@ydtb/basic");
    expect(replaced.changes.versionChanged).toBe(true);
    await reloadAfter(fixed);
    expect(registry.get("@ydtb/basic")?.version).toBe("1.2.0");
  });

  test("a validation error is reported with its diagnostics and nothing changes", async () => {
    const before = registry.get("@ydtb/basic");
    const file = basicFile("src/schema.ts");
    const good = readFileSync(file, "utf8");
    const mark = events.length;
    writeFileSync(file, `${good}\nexport const loose = pgTable("ydtb_basic_loose", { id: text("id").primaryKey() });\n`);
    const error = await waitForEvent(mark, "error", (e) => e.package === "@ydtb/basic");
    expect(error.phase).toBe("validate");
    expect(error.diagnostics?.some((d) => d.table === "ydtb_basic_loose" && d.severity === "error")).toBe(true);
    await reloadAfter(mark);
    expect(registry.get("@ydtb/basic")).toBe(before!);
    const rows = await db.query<{ t: string | null }>(`SELECT to_regclass('public.ydtb_basic_loose')::text AS t`);
    expect(rows[0]?.t).toBeNull();

    const restored = events.length;
    writeFileSync(file, good);
    await waitForEvent(restored, "replaced", (e) => e.package === "@ydtb/basic");
    await reloadAfter(restored);
  });

  test("a failing migration is reported, rolled back, and the registry keeps the last good state", async () => {
    const before = registry.get("@ydtb/basic");
    const folder = basicFile("drizzle");
    const journalFile = join(folder, "meta", "_journal.json");
    const journal = readFileSync(journalFile, "utf8");
    const mark = events.length;
    const parsed = JSON.parse(journal) as { entries: object[] };
    const idx = parsed.entries.length;
    const tag = `${String(idx).padStart(4, "0")}_broken`;
    writeFileSync(join(folder, `${tag}.sql`), `ALTER TABLE "ydtb_basic_missing" ADD COLUMN "x" integer;`);
    parsed.entries.push({ idx, version: "7", when: Date.now(), tag, breakpoints: true });
    writeFileSync(journalFile, JSON.stringify(parsed, null, 2));
    const error = await waitForEvent(mark, "error", (e) => e.phase === "migrate");
    expect(error.package).toBe("@ydtb/basic");
    await reloadAfter(mark);
    expect(registry.get("@ydtb/basic")).toBe(before!);
    const status = await migrationStatus(db, registry.list());
    expect(status.find((p) => p.package === "@ydtb/basic")?.applied).not.toContain(tag);

    const restored = events.length;
    writeFileSync(journalFile, journal);
    rmSync(join(folder, `${tag}.sql`));
    const reloaded = await waitForEvent(restored, "reloaded");
    expect(reloaded.ok).toBe(true);
    await watcher.idle();
  });

  test("a new migration is linted: a risky statement is reported with file, line and the safe pattern", async () => {
    const folder = basicFile("drizzle");
    const mark = events.length;
    writeFileSync(join(folder, "0003_checked.sql"), `ALTER TABLE "ydtb_basic_notes" ADD CONSTRAINT "ydtb_basic_notes_title_not_empty" CHECK ("title" <> '');`);
    const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as { entries: object[] };
    journal.entries.push({ idx: 3, version: "7", when: Date.now(), tag: "0003_checked", breakpoints: true });
    writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify(journal, null, 2));
    const lint = await waitForEvent(mark, "lint");
    expect(lint.package).toBe("@ydtb/basic");
    expect(lint.report.findings.map((f) => [f.rule, f.migration, f.file, f.line])).toEqual([["constraint-missing-not-valid", "0003_checked", "packages/basic/drizzle/0003_checked.sql", 1]]);
    const produced = await reloadAfter(mark);
    // One report, for the new migration only: the package's earlier ones are its history.
    expect(produced.filter((e) => e.kind === "lint")).toHaveLength(1);
  });

  test("a removed package is unregistered; its tables stay", async () => {
    const added = events.length;
    addPackage(root, "extra");
    await waitForEvent(added, "registered", (e) => e.package === "@ydtb/extra");
    await reloadAfter(added);
    const mark = events.length;
    rmSync(join(root, "packages", "extra"), { recursive: true, force: true });
    await waitForEvent(mark, "unregistered", (e) => e.package === "@ydtb/extra");
    await reloadAfter(mark);
    expect(registry.has("@ydtb/extra")).toBe(false);
    const rows = await db.query<{ t: string | null }>(`SELECT to_regclass('public.ydtb_extra_items')::text AS t`);
    expect(rows[0]?.t).toBe("ydtb_extra_items");
  });
});
