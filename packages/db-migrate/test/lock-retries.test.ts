import { describe, expect, test } from "bun:test";
import { isLockTimeout, MigrationFailedError, withLockRetries, type ProgressEvent } from "../src/index.ts";
import { localTimeoutStatements, lockWaitPolicy, retryDelayMs, setLocalTimeouts, type LockWaitPolicy } from "../src/run/lock-wait.ts";

// The retry loop without a server: attempts fail with PostgreSQL's lock_not_available (55P03)
// as a driver reports it (a `code` on the error or on its cause).
const lockTimeout = () => Object.assign(new Error("canceling statement due to lock timeout"), { code: "55P03" });
const policy: LockWaitPolicy = { lockTimeoutMs: 40, retries: 2, backoffMs: 1, statementTimeoutMs: 0 };
const event = { index: 1, total: 3, direction: "up" as const, package: "@ydtb/fx", id: "0001_b" };

function attempts(outcomes: readonly (Error | "ok")[]) {
  let n = 0;
  const run = async () => {
    const next = outcomes[n++] ?? "ok";
    if (next !== "ok") throw next;
    return `done after ${n}`;
  };
  return { run, count: () => n };
}

describe("withLockRetries", () => {
  test("a lock timeout is tried again after a growing pause, each retry reported; a later success is the result", async () => {
    const progress: ProgressEvent[] = [];
    const a = attempts([lockTimeout(), lockTimeout(), "ok"]);
    const result = await withLockRetries({ policy, onProgress: (p) => progress.push(p), current: () => ({ event, policy: { ...policy, lockTimeoutMs: 77 } }) }, a.run);
    expect([result, a.count()]).toEqual(["done after 3", 3]);
    expect(progress.map((p) => [p.status, p.id, p.attempt, p.attempts, p.lockTimeoutMs, p.blockers])).toEqual([
      ["retrying", "0001_b", 1, 3, 77, []],
      ["retrying", "0001_b", 2, 3, 77, []],
    ]);
    expect(progress.map((p) => p.retryInMs)).toEqual([1, 2]);
  });

  test("after the last attempt the failure is MIGRATION_LOCK_TIMEOUT naming the step, the attempts and the wait", async () => {
    const first = lockTimeout();
    const a = attempts([first, lockTimeout(), lockTimeout(), lockTimeout()]);
    const error = await withLockRetries({ policy, current: () => ({ event, policy }) }, a.run).catch((e: unknown) => e);
    expect(a.count()).toBe(3);
    expect(error).toBeInstanceOf(MigrationFailedError);
    const e = error as MigrationFailedError;
    expect([e.code, e.failure.package, e.failure.id, e.failure.direction, e.failure.pgCode]).toEqual(["MIGRATION_LOCK_TIMEOUT", "@ydtb/fx", "0001_b", "up", "55P03"]);
    expect(e.failure.lockWait).toEqual({ attempts: 3, lockTimeoutMs: 40, blockers: [] });
    expect(e.failure.pgMessage).toBe("canceling statement due to lock timeout");
    expect(e.cause).toBeInstanceOf(Error);
  });

  test("a migration's own failure keeps its details and gains the wait; retries 0 means one attempt", async () => {
    const own = new MigrationFailedError({ package: "@ydtb/fx", id: "0001_b", direction: "up", file: "/f/0001_b.sql", statement: 2, pgCode: "55P03", pgMessage: "lock timeout" }, { cause: lockTimeout() });
    const a = attempts([own, "ok"]);
    const error = (await withLockRetries({ policy: { ...policy, retries: 0 }, current: () => ({ event, policy }) }, a.run).catch((e: unknown) => e)) as MigrationFailedError;
    expect(a.count()).toBe(1);
    expect([error.code, error.failure.file, error.failure.statement, error.failure.lockWait?.attempts]).toEqual(["MIGRATION_LOCK_TIMEOUT", "/f/0001_b.sql", 2, 1]);
  });

  test("any other failure is thrown at once, unchanged, without a retry", async () => {
    const other = Object.assign(new Error("relation does not exist"), { code: "42P01" });
    const progress: ProgressEvent[] = [];
    const a = attempts([other, "ok"]);
    const error = await withLockRetries({ policy, onProgress: (p) => progress.push(p), current: () => ({ event, policy }) }, a.run).catch((e: unknown) => e);
    expect([error === other, a.count(), progress]).toEqual([true, 1, []]);
  });

  test("a lock timeout is recognised wrapped in a cause, or as a migration failure's code", () => {
    expect(isLockTimeout(new Error("wrapped", { cause: lockTimeout() }))).toBe(true);
    expect(isLockTimeout(new MigrationFailedError({ package: "p", id: "i", direction: "up", pgCode: "55P03", pgMessage: "x" }))).toBe(true);
    expect(isLockTimeout(new MigrationFailedError({ package: "p", id: "i", direction: "up", pgCode: "42P01", pgMessage: "x" }, { cause: lockTimeout() }))).toBe(false);
    expect(isLockTimeout(Object.assign(new Error("x"), { code: "57014" }))).toBe(false);
  });
});

describe("lock-wait policy", () => {
  test("the migration's header wins, then the manifest, then the run, then the default; retries and backoff are the run's", () => {
    expect(lockWaitPolicy({ lockTimeoutMs: 1 }, { lockTimeoutMs: 2, statementTimeoutMs: 5 }, { lockTimeoutMs: 3, retries: 0, backoffMs: 9, statementTimeoutMs: 6 })).toEqual({ lockTimeoutMs: 1, retries: 0, backoffMs: 9, statementTimeoutMs: 5 });
    expect(lockWaitPolicy({}, { lockTimeoutMs: 2 }, { lockTimeoutMs: 3, statementTimeoutMs: 6 })).toEqual({ lockTimeoutMs: 2, retries: 3, backoffMs: 1_000, statementTimeoutMs: 6 });
    expect(lockWaitPolicy({}, {}, { lockTimeoutMs: 3 })).toEqual({ lockTimeoutMs: 3, retries: 3, backoffMs: 1_000, statementTimeoutMs: 0 });
    expect(lockWaitPolicy({}, {})).toEqual({ lockTimeoutMs: 5_000, retries: 3, backoffMs: 1_000, statementTimeoutMs: 0 });
  });

  test("SET LOCAL statements: the lock timeout always, the statement timeout only when set; whole milliseconds", () => {
    expect(localTimeoutStatements({ ...policy, lockTimeoutMs: 1500.4 })).toEqual(["SET LOCAL lock_timeout = '1500ms'"]);
    expect(localTimeoutStatements({ ...policy, lockTimeoutMs: 0, statementTimeoutMs: 2500.6 })).toEqual(["SET LOCAL lock_timeout = '0ms'", "SET LOCAL statement_timeout = '2501ms'"]);
    expect(setLocalTimeouts({ ...policy, statementTimeoutMs: 1 })).toBe("SET LOCAL lock_timeout = '40ms'; SET LOCAL statement_timeout = '1ms'");
  });

  test("the pause doubles with each retry, plus at most a fifth", () => {
    for (const [attempt, base] of [[1, 100], [2, 200], [3, 400]] as const) {
      const delays = Array.from({ length: 20 }, () => retryDelayMs(attempt, 100));
      expect([attempt, Math.min(...delays) >= base, Math.max(...delays) <= base * 1.2]).toEqual([attempt, true, true]);
    }
  });
});
