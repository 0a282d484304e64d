import { appliedMigrations, compareSnapshots, historyVersusCatalog, lockHeld, recordedTwice, snapshot, type Snapshot } from "./checks.ts";
import { CHAOS_PACKAGE } from "./generate-package.ts";
import type { ChaosContext, TrialDatabase } from "./context.ts";
import { startCli, waitFor } from "./processes.ts";
import type { Database } from "@ydtb/db-client";

/** One trial's outcome. */
export interface TrialResult {
  readonly scenario: string;
  readonly kind: "postgres" | "pglite";
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** The figure the scenario measures (e.g. ms from the fault to the exit), for the summary. */
  readonly ms: number;
  /** For kills: how many of the generated package's migrations were applied when it died. */
  readonly killedAfter?: number;
}

/** How long the migration lock may outlive its dead holder, in ms. */
export const LOCK_RELEASE_BOUND_MS = 5_000;

/** How long a faulted migrator or app may take to end with an error, in ms (the bound). */
export const FAULT_EXIT_BOUND_MS = 10_000;

/** The last lines of a process's output, for a problem report. */
export function tail(text: string, lines = 6): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** A seeded random number generator (mulberry32): the same seed replays the same kill points. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many of the generated package's migrations are applied. */
export async function generatedApplied(db: Database): Promise<number> {
  return (await appliedMigrations(db)).filter((m) => m.startsWith(`${CHAOS_PACKAGE} `)).length;
}

/** Lock free (within its bound), history agrees with the catalog, nothing recorded twice. */
export async function checkState(db: Database, ctx: ChaosContext): Promise<string[]> {
  const problems: string[] = [];
  if (!(await waitFor(async () => !(await lockHeld(db)), LOCK_RELEASE_BOUND_MS, 100))) problems.push(`the migration lock was still held ${LOCK_RELEASE_BOUND_MS} ms after its holder ended`);
  problems.push(...(await historyVersusCatalog(db, ctx.pkg)), ...(await recordedTwice(db)));
  return problems;
}

/** After a trial on the server: {@link checkState}, then a rerun completes and the result equals `reference`. */
export async function verifyServer(ctx: ChaosContext, tdb: TrialDatabase, reference: Snapshot): Promise<string[]> {
  await tdb.setSleeps(0, 0);
  const db = await tdb.open();
  try {
    const problems = await checkState(db, ctx);
    const rerun = await startCli(ctx.root, ["migrate"], { DATABASE_URL: tdb.url }).finished();
    if (rerun.code !== 0) problems.push(`the rerun exited ${rerun.code}:\n${tail(rerun.output)}`);
    problems.push(...compareSnapshots(await snapshot(db), reference), ...(await recordedTwice(db)));
    return problems;
  } finally {
    await db.close();
  }
}
