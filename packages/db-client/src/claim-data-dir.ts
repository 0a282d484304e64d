import { dlopen, suffix } from "bun:ffi";
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DatabaseInUseError, DbClientError } from "./errors.ts";

/** Name of the file in a PGlite directory whose OS lock marks the directory as open. */
export const PGLITE_LOCK_FILE = "ydtb.lock";

/** How often a waiting opener tries the claim again, in ms. */
export const DATA_DIR_POLL_INTERVAL_MS = 100;

const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;

let flock: ((fd: number, operation: number) => number) | undefined;

function loadFlock(): (fd: number, operation: number) => number {
  if (flock) return flock;
  const candidates = process.platform === "darwin" ? ["libSystem.B.dylib", `libc.${suffix}`] : ["libc.so.6", `libc.${suffix}`];
  const failures: string[] = [];
  for (const name of candidates) {
    try {
      const lib = dlopen(name, { flock: { args: ["i32", "i32"], returns: "i32" } });
      const fn = lib.symbols.flock;
      flock = (fd, op) => fn(fd, op);
      return flock;
    } catch (error) {
      // Try the next name for the C library; all failing is reported below.
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new DbClientError("DATA_DIR_LOCK_UNAVAILABLE", `Cannot lock PGlite directories on ${process.platform}: flock() was not found in the C library (${failures.join("; ")}). Use a PostgreSQL server (DATABASE_URL).`);
}

/**
 * Claims a PGlite directory for this process, or throws `DatabaseInUseError` while another opener
 * (in this process or another) holds it. Two PGlite instances on one directory corrupt it without
 * an error.
 *
 * The claim is an exclusive `flock()` on `<dataDir>/ydtb.lock`, held through an open file: the
 * kernel drops it when the process exits however it exits (SIGKILL included), so a dead owner never
 * blocks, whatever its pid has become (recycled, another pid namespace). The file holds the owner's
 * pid for the message only, and stays in place on release (deleting a lock file races with openers).
 *
 * @example
 * const release = claimDataDir("apps/core/.data"); // throws DATABASE_IN_USE if open elsewhere
 * try { ... } finally { release(); }
 */
export function claimDataDir(dataDir: string): () => void {
  const lock = loadFlock();
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, PGLITE_LOCK_FILE);
  // "a+" creates without truncating: the holder's pid stays readable for our message.
  const fd = openSync(file, "a+");
  if (lock(fd, LOCK_EX | LOCK_NB) !== 0) {
    closeSync(fd);
    throw new DatabaseInUseError(dataDir, readHolder(file));
  }
  ftruncateSync(fd, 0);
  writeSync(fd, String(process.pid));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    ftruncateSync(fd, 0);
    lock(fd, LOCK_UN);
    closeSync(fd);
  };
}

/**
 * {@link claimDataDir}, retried every {@link DATA_DIR_POLL_INTERVAL_MS} for up to `waitMs`
 * (0: fail at once).
 *
 * @example
 * const release = await claimDataDirWithin(".data", 5_000);
 */
export async function claimDataDirWithin(dataDir: string, waitMs: number): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return claimDataDir(dataDir);
    } catch (error) {
      if (!(error instanceof DatabaseInUseError) || Date.now() >= deadline) throw error;
      await Bun.sleep(Math.min(DATA_DIR_POLL_INTERVAL_MS, Math.max(0, deadline - Date.now())));
    }
  }
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    // The pid is for the message only; an unreadable file leaves it out.
    return undefined;
  }
}
