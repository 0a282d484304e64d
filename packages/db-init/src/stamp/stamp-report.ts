import type { StampAnswer } from "@ydtb/db-migrate/boot-stamp";
import type { InitReport, Phase } from "../init-report.ts";

/**
 * The report of a no-op boot answered by the boot stamp: the full no-op's report as recorded
 * with the stamp (packages, versions, warnings), nothing applied, one query. Types only are
 * imported: the CLI's no-op path (`fast-migrate.ts`) uses it without loading the engine.
 *
 * @example
 * formatInitReport(stampReport(answer, "postgres://…/app", { total: 12 }))
 */
export function stampReport(answer: StampAnswer, database: string, ms: Readonly<Partial<Record<Phase | "total", number>>>): InitReport {
  return {
    ok: true,
    database,
    mode: "production",
    packages: answer.packages,
    discoveryFailures: [],
    errors: [],
    warnings: answer.warnings as InitReport["warnings"],
    exempted: answer.exempted as InitReport["exempted"],
    steps: [],
    ahead: [],
    heldBack: [],
    applied: 0,
    skipped: 0,
    tools: { inserted: 0, updated: 0, deactivated: 0 },
    queryCount: 1,
    bootStamp: true,
    ms,
  };
}
