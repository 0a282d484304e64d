import { openDatabase } from "@ydtb/db-client";
import { compareSnapshots, recordedTwice, snapshot } from "./checks.ts";
import type { ChaosContext } from "./context.ts";
import { startCli } from "./processes.ts";
import { checkState, generatedApplied, tail, type TrialResult } from "./trial.ts";

/**
 * PGlite: SIGKILL of a migrator at a random point (`at` in [0, 1) of a full run), then at once a
 * restart on the same directory: it must open (the dead owner's claim died with it), the history
 * must agree with the catalog, and a rerun must complete with a single migrator's schema.
 */
export async function killAndRestartPglite(ctx: ChaosContext, at: number): Promise<TrialResult> {
  const { snapshot: reference, ms: fullMs } = await ctx.pgliteReference();
  const dir = await ctx.pgliteDir();
  const child = startCli(ctx.root, ["migrate", "--data-dir", dir], {});
  await Bun.sleep(Math.round(at * fullMs));
  child.proc.kill("SIGKILL");
  const end = await child.finished();
  const problems: string[] = [];
  let killedAfter: number | undefined;
  try {
    // The restart: straight after the kill, no wait for the directory.
    const db = await openDatabase({ dataDir: dir });
    try {
      killedAfter = await generatedApplied(db);
      problems.push(...(await checkState(db, ctx)));
    } finally {
      await db.close();
    }
    const rerun = await startCli(ctx.root, ["migrate", "--data-dir", dir], {}).finished();
    if (rerun.code !== 0) problems.push(`the rerun exited ${rerun.code}:\n${tail(rerun.output)}`);
    const again = await openDatabase({ dataDir: dir });
    try {
      problems.push(...compareSnapshots(await snapshot(again), reference), ...(await recordedTwice(again)));
    } finally {
      await again.close();
    }
  } catch (error) {
    problems.push(`restart failed: [${(error as { code?: string }).code ?? "UNEXPECTED"}] ${(error as Error).message}`);
  }
  return { scenario: "SIGKILL mid-migration + restart", kind: "pglite", ok: problems.length === 0, problems, ms: end.ms, ...(killedAfter !== undefined ? { killedAfter } : {}) };
}
