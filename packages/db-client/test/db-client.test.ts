import { afterAll, expect, test } from "bun:test";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseInUseError, maskDatabaseUrl, Mutex, openDatabase, parseDatabaseUrl, PGLITE_LOCK_FILE } from "../src/index.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-client-"));
  dirs.push(dir);
  return dir;
};

let template: Promise<string> | undefined;
/**
 * A directory holding an empty PGlite database. initdb runs once per file (the first open of an
 * empty directory), then each test gets a copy: initdb into a directory took 28-44 s on a loaded
 * 2-core machine.
 */
const seededDir = async () => {
  template ??= (async () => {
    const dir = tempDir();
    const db = await openDatabase({ dataDir: dir });
    await db.close();
    return dir;
  })();
  const dir = tempDir();
  cpSync(await template, dir, { recursive: true });
  rmSync(join(dir, PGLITE_LOCK_FILE), { force: true });
  return dir;
};

/** Starts a process holding `dir` open; resolves once it has the directory. */
async function holder(dir: string) {
  const child = Bun.spawn(["bun", join(import.meta.dir, "fixtures/hold-data-dir.ts"), dir], { stdout: "pipe", stderr: "inherit" });
  const reader = child.stdout.getReader();
  let out = "";
  while (!out.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`holder exited before opening ${dir} (exit ${await child.exited})`);
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return child;
}

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
};

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
  expect(await m.run(async () => "next")).toBe("next");
});

test("maskDatabaseUrl hides the password of parseable and unparseable URLs", () => {
  expect(maskDatabaseUrl("postgres://u:secret@h:5432/db")).toBe("postgres://u:***@h:5432/db");
  expect(maskDatabaseUrl("postgres://u@h/db")).toBe("postgres://u@h/db");
  expect(maskDatabaseUrl("postgres://u:se@cret@h:port/db")).toBe("postgres://u:***@h:port/db");
  expect(maskDatabaseUrl("postgres://u@h/db?password=secret&sslmode=require")).toBe("postgres://u@h/db?password=***&sslmode=require");
  expect(maskDatabaseUrl("app:secret@db/prod")).toBe("app:***@db/prod");
  expect(maskDatabaseUrl("mysql://u:secret@h/db")).toBe("mysql://u:***@h/db");
});

test("parseDatabaseUrl reads host, port, user, database; other schemes and garbage are INVALID_DATABASE_URL without the password", () => {
  expect(parseDatabaseUrl("postgresql://app:pw@db.example:6543/prod")).toEqual({ host: "db.example", port: 6543, database: "prod", user: "app" });
  expect(parseDatabaseUrl("postgres://app@localhost/prod?host=/var/run/postgresql")).toEqual({ host: "/var/run/postgresql", port: 5432, database: "prod", user: "app" });
  for (const url of ["mysql://app:hunter2@db:3306/prod", "postgres://app:hunter2@db:port/prod", "app:hunter2@db/prod", "http://app:hunter2@db/prod"]) {
    let error: unknown;
    try {
      parseDatabaseUrl(url);
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).toBe("INVALID_DATABASE_URL");
    expect(String((error as Error).message)).not.toContain("hunter2");
  }
});

test("a PGlite directory open in a live process is refused with its pid; a SIGKILLed holder never blocks, even at once", async () => {
  const dir = await seededDir();
  const child = await holder(dir);
  const error = await errorOf(openDatabase({ dataDir: dir }));
  expect(error).toBeInstanceOf(DatabaseInUseError);
  expect((error as DatabaseInUseError).code).toBe("DATABASE_IN_USE");
  expect((error as DatabaseInUseError).pid).toBe(child.pid);
  child.kill("SIGKILL");
  await child.exited;
  // Immediately after the kill: the claim died with the process, and the data it wrote is there.
  const db = await openDatabase({ dataDir: dir });
  try {
    expect(await db.query<{ n: number }>("SELECT n FROM held")).toEqual([{ n: 1 }]);
  } finally {
    await db.close();
  }
});

test("a claim file naming a live pid (recycled, ours, pid 1 of a new namespace) does not block without the lock held", async () => {
  const dir = await seededDir();
  const sleeper = Bun.spawn(["sleep", "30"]);
  try {
    for (const pid of [sleeper.pid, process.pid, 1]) {
      writeFileSync(join(dir, PGLITE_LOCK_FILE), String(pid));
      const db = await openDatabase({ dataDir: dir });
      await db.close();
    }
  } finally {
    sleeper.kill();
  }
});

test("opening a PGlite directory can wait for the process that has it open", async () => {
  const dir = await seededDir();
  const child = await holder(dir);
  setTimeout(() => child.kill("SIGKILL"), 300);
  const db = await openDatabase({ dataDir: dir, waitForDataDirMs: 20_000 });
  await db.close();
  expect(child.signalCode).toBe("SIGKILL");
});

test("the same PGlite directory cannot be opened twice in one process, and can again once closed", async () => {
  const dir = await seededDir();
  const first = await openDatabase({ dataDir: dir });
  try {
    const error = await errorOf(openDatabase({ dataDir: dir }));
    expect(error).toBeInstanceOf(DatabaseInUseError);
    expect((error as DatabaseInUseError).pid).toBe(process.pid);
  } finally {
    await first.close();
  }
  const again = await openDatabase({ dataDir: dir });
  await again.close();
});

test("PGlite loads the contrib extensions asked for; one it lacks is UNKNOWN_EXTENSION naming it", async () => {
  const db = await openDatabase({ extensions: ["pg_trgm", "uuid-ossp"] });
  try {
    await db.exec('CREATE EXTENSION pg_trgm; CREATE EXTENSION "uuid-ossp"');
    const [row] = await db.query<{ s: number; u: string }>("SELECT similarity('notes', 'note') AS s, uuid_generate_v4()::text AS u");
    expect(row!.s).toBeGreaterThan(0.5);
    expect(row!.u).toMatch(/^[0-9a-f-]{36}$/);
  } finally {
    await db.close();
  }
  for (const name of ["postgis", "../../index"]) {
    const error = await errorOf(openDatabase({ extensions: [name] }));
    expect((error as { code?: string }).code).toBe("UNKNOWN_EXTENSION");
    expect((error as { extension?: string }).extension).toBe(name);
  }
});
