import type { Database } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { bootStampAnswer, DEFAULT_TARGET, inputsDigest, stampLayoutOf, stampTables, writeBootStamp, type MigrationRunResult, type StampAnswer } from "@ydtb/db-migrate";
import type { InitReport } from "../init-report.ts";

/** What `initDatabase` takes that decides whether the boot stamp applies. */
interface StampOptions {
  readonly migrate?: { readonly target?: { readonly kind: string }; readonly dryRun?: boolean; readonly fingerprints?: boolean; readonly historyTable?: string };
  readonly partial?: boolean;
  readonly syncTools?: boolean;
}

/** What {@link checkStamp} found: the stamp's answer when it holds, and the inputs digest to write a new one with. */
export interface StampCheck {
  readonly answer?: StampAnswer;
  readonly inputs?: string;
}

/**
 * The boot stamp stands for a full production boot to the latest versions of every package
 * (tools synced or not, as it records): any other boot (development, a target, a dry run,
 * `--package`, no fingerprints) neither uses nor writes it.
 */
export function stampEligible(options: StampOptions, mode: "development" | "production"): boolean {
  const m = options.migrate ?? {};
  return mode === "production" && !options.partial && (m.target === undefined || m.target.kind === "latest") && !m.dryRun && m.fingerprints !== false;
}

/**
 * Reads the stamp (one query) when the boot is eligible and every package has a drizzle folder.
 *
 * @example
 * const stamp = await checkStamp(db, manifests, options, "production");
 * if (stamp.answer) return stampedMigration(stamp.answer, ms);
 */
export async function checkStamp(db: Database, manifests: readonly DatabaseManifest[], options: StampOptions, mode: "development" | "production"): Promise<StampCheck> {
  if (!stampEligible(options, mode) || manifests.length === 0) return {};
  let inputs: string;
  try {
    const layout = stampLayoutOf(manifests);
    if (!layout) return {};
    inputs = inputsDigest(layout);
  } catch (error) {
    // A migrations folder that cannot be resolved or read: the full path loads it and reports
    // the problem with the package and file named; the stamp is only a shortcut.
    void error;
    return {};
  }
  const answer = await bootStampAnswer(db, manifests, inputs, stampTables(options.migrate?.historyTable));
  // A stamp written without syncing tools does not stand for a boot that syncs them.
  const holds = answer && (answer.toolsSynced || options.syncTools === false);
  return holds ? { answer, inputs } : { inputs };
}

/**
 * The migration result a no-op answered by the stamp returns: the planner's no-op (no step,
 * no conflict, nothing ahead), with the versions recorded with the stamp.
 */
export function stampedMigration(answer: StampAnswer, ms: number): MigrationRunResult {
  const plan = { target: DEFAULT_TARGET, order: answer.order, steps: [], conflicts: [], ahead: [], heldBack: [] };
  return { plan, steps: [], applied: 0, skipped: 0, failed: 0, queryCount: 1, ms, versions: answer.versions, dryRun: false, fastPath: true };
}

/**
 * Writes the stamp after a successful eligible boot when the planner's answer for the database
 * as it now is, is "nothing to do" (see `writeBootStamp`). Never fails the boot.
 */
export async function recordStamp(db: Database, manifests: readonly DatabaseManifest[], check: StampCheck, report: InitReport, migration: MigrationRunResult, historyTable?: string): Promise<void> {
  if (check.inputs === undefined || check.answer) return;
  const answer = { packages: report.packages, versions: migration.versions, warnings: report.warnings, exempted: report.exempted, toolsSynced: report.tools !== undefined };
  try {
    await writeBootStamp(db, manifests, answer, { inputs: check.inputs, tables: stampTables(historyTable) });
  } catch (error) {
    // The boot succeeded; the stamp only shortens the next one. A database that refuses it (a
    // role without CREATE, a connection lost after the run) leaves the next boot on the full
    // path, which is correct, only slower.
    void error;
  }
}
