import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseInUseError, Mutex, openDatabase, PGLITE_LOCK_FILE, redact } from "../src/index.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test("Mutex runs callers one at a time, in order, and releases on throw", async () => {
  const m = new Mutex();
  const log: string[] = [];
  const job = (name: string, fail = false) =>
    m.run(async () => {
      log.push(`start ${name}`);
      await Bun.sleep(5);
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
    });
  const results = await Promise.allSettled([job("a"), job("b", true), job("c")]);
  expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  // Released after the failure: a later caller still gets its turn.
  expect(await m.run(async () => "next")).toBe("next");
});

test("a PGlite directory opened by a live process is refused with its pid; a stale pid file is taken over", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-client-"));
  dirs.push(dir);
  const child = Bun.spawn(["sleep", "30"]);
  writeFileSync(join(dir, PGLITE_LOCK_FILE), String(child.pid));
  let error: unknown;
  try {
    await openDatabase({ dataDir: dir });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DatabaseInUseError);
  expect((error as DatabaseInUseError).pid).toBe(child.pid);
  child.kill();
  await child.exited;
  const db = await openDatabase({ dataDir: dir });
  try {
    expect((await db.query<{ n: number }>("SELECT 1 AS n"))[0]?.n).toBe(1);
  } finally {
    await db.close();
  }
});

test("redact hides the password of a URL", () => {
  expect(redact("postgres://u:secret@h:5432/db")).toBe("postgres://u:***@h:5432/db");
  expect(redact("postgres://u@h/db")).toBe("postgres://u@h/db");
});

test("opening a PGlite directory can wait for the process that has it open", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-client-"));
  dirs.push(dir);
  const child = Bun.spawn(["sleep", "30"]);
  writeFileSync(join(dir, PGLITE_LOCK_FILE), String(child.pid));
  setTimeout(() => child.kill(), 300);
  const db = await openDatabase({ dataDir: dir, waitForDataDirMs: 10_000 });
  await db.close();
  expect(child.killed).toBe(true);
});

test("the same PGlite directory cannot be opened twice in one process", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-client-"));
  dirs.push(dir);
  const first = await openDatabase({ dataDir: dir });
  try {
    await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DatabaseInUseError);
  } finally {
    await first.close();
  }
  const again = await openDatabase({ dataDir: dir });
  await again.close();
});
