import type { DatabaseManifest } from "@ydtb/db-registry";
import { describeBlocker, loadPackageMigrations, type BaselineResult, type checkPackage, type MigrateOptions, type MigrationPlan } from "@ydtb/db-migrate";
import type { DatabaseStatus } from "../database-status.ts";
import type { Colors } from "./colors.ts";

/** `status` as text: a block per package, with `--migrations` a line per migration. */
export function formatStatus(status: DatabaseStatus, c: Colors): string {
  const rows = status.packages.map((p) => {
    const last = p.lastAppliedAt ? new Date(p.lastAppliedAt).toISOString() : "never";
    const pending = p.pending.length ? c.yellow(`${p.pending.length} pending (${p.pending.join(", ")})`) : "0 pending";
    const lines = [`${c.bold(p.package)}`, `  code ${p.codeVersion} · database ${p.databaseVersion ?? "none"} · ${p.applied.length} applied · ${pending} · last applied ${last}`];
    if (p.ahead) {
      lines.push(c.yellow(`  applied, not in this code: ${p.notInCode.map((m) => `${m.id} (${m.version ?? "unreleased"})`).join(", ")} — the database is ahead of this code (${p.databaseVersion} > ${p.codeVersion})`));
    } else if (p.missing.length) {
      lines.push(c.red(`  applied but no longer in the code: ${p.notInCode.map((m) => `${m.id} (${m.version ?? "unreleased"})`).join(", ")} — restore the files (applied migrations are never deleted)`));
    }
    if (p.changed.length) lines.push(c.red(`  changed since applied: ${p.changed.join(", ")} (ydtb-db repair, if deliberate)`));
    for (const d of p.rlsDrift) lines.push(c.red(`  row-level security drift (${d.problem}): ${d.message}`));
    if (p.tools.length) lines.push(`  tools: ${p.tools.map((t) => `${t.id}${t.active ? "" : " (inactive)"}`).join(", ")}`);
    for (const m of p.migrations ?? []) {
      const state = m.state === "applied" ? c.green(m.state) : m.state === "pending" ? c.yellow(m.state) : c.red(m.state);
      lines.push(`    ${m.id.padEnd(28)} ${(m.version ?? "unreleased").padEnd(10)} ${state.padEnd(8)}${m.appliedAt ? ` ${m.appliedAt} by ${m.appliedBy ?? "?"}` : ""}`);
    }
    return lines.join("\n");
  });
  return [`Database: ${status.database}`, ...rows].join("\n");
}

/** A plan as numbered steps, then the packages running behind a newer database (ahead or held back). */
export function formatPlan(plan: Pick<MigrationPlan, "steps" | "ahead" | "heldBack">, c: Colors): string {
  const behind = [
    ...plan.ahead.map((a) => `  ${a.package}: the database is at ${a.databaseVersion}, ahead of this code (${a.codeVersion}); not migrated`),
    ...plan.heldBack.map((h) => `  ${h.package}: held back, it needs ${h.dependency} ${h.range} (${h.databaseVersion} in the database); pending ${h.pending.join(", ")}`),
  ];
  const steps =
    plan.steps.length === 0
      ? [c.green("Nothing to do: the database is up to date.")]
      : [`${plan.steps.length} step${plan.steps.length === 1 ? "" : "s"}:`, ...plan.steps.map((s, i) => `  ${String(i + 1).padStart(3)}. ${s.direction.padEnd(4)} ${s.package} ${s.id} — ${s.reason}`)];
  return [...steps, ...(behind.length ? [c.yellow("Running behind a newer database:"), ...behind] : [])].join("\n");
}

/** One progress line of a run. */
export function formatProgress(event: Parameters<NonNullable<MigrateOptions["onProgress"]>>[0], c: Colors): string {
  if (event.status === "retrying") {
    const who = event.blockers?.length ? `blocked by ${event.blockers.map(describeBlocker).join("; ")}` : "blocked by another session";
    return c.yellow(`[${event.index + 1}/${event.total}] lock wait of ${event.lockTimeoutMs} ms timed out (attempt ${event.attempt}/${event.attempts}) for ${event.package} ${event.id}, ${who}; rolled back, retrying in ${event.retryInMs} ms`);
  }
  const status = event.status === "failed" ? c.red(event.status) : event.status === "applied" ? c.green(event.status) : event.status;
  return `[${event.index + 1}/${event.total}] ${status} ${event.direction} ${event.package} ${event.id}${event.ms !== undefined ? ` (${event.ms.toFixed(1)} ms)` : ""}`;
}

/** What `check` reports for a package: the check, and what it could not prove (`untested`). */
export type CheckResult = Awaited<ReturnType<typeof checkPackage>> & { readonly untested: readonly string[] };

/** What `check` cannot prove for a package: each migration without a down is never rolled back. */
export function untestedByCheck(manifest: DatabaseManifest): string[] {
  return loadPackageMigrations(manifest)
    .migrations.filter((m) => !m.down)
    .map((m) => `${m.id}: no down migration, so up → down → up was not tested`);
}

/** `check` for one package. */
export function formatCheck(result: CheckResult, c: Colors): string {
  const lines = [`${result.ok ? c.green("ok  ") : c.red("FAIL")} ${result.package}`];
  for (const line of result.untested) lines.push(c.yellow(`  not tested: ${line}`));
  for (const step of result.upDownUp) lines.push(`  up → down → up ${step.id}: ${step.ok ? "same schema" : `differs\n${(step.diff ?? []).map((d) => `      ${d}`).join("\n")}`}`);
  if ("skipped" in result.drift) lines.push(`  schema drift: skipped (${result.drift.skipped})`);
  else lines.push(result.drift.ok ? "  schema drift: none" : `  schema drift: the Drizzle schema differs from the migrations; \`bun run db:generate\` would write:\n${result.drift.sql.map((s) => `      ${s}`).join("\n")}`);
  if (result.catalog) lines.push(result.catalog.length ? `  row-level security drift:\n${result.catalog.map((s) => `      ${s}`).join("\n")}` : "  row-level security drift: none");
  return lines.join("\n");
}

/** What a baseline recorded. */
export function formatBaseline(result: BaselineResult, c: Colors): string {
  const verb = result.dryRun ? "would adopt" : "adopted";
  const lines = result.adopted.map((a) => `  ${c.green(verb)} ${a.package} ${a.id} (${a.source})`);
  if (result.alreadyApplied.length) lines.push(`  ${result.alreadyApplied.length} already recorded: ${result.alreadyApplied.map((a) => `${a.package} ${a.id}`).join(", ")}`);
  const head = result.adopted.length
    ? `${result.adopted.length} migration${result.adopted.length === 1 ? "" : "s"} ${verb} (recorded as applied, not run)${result.dryRun ? " — dry run, nothing recorded" : ""}:`
    : "Nothing to adopt: every matched migration is already recorded.";
  return [head, ...lines, ...(result.dryRun || !result.adopted.length ? [] : ["Next: `ydtb-db status --migrations`, then `ydtb-db migrate` applies what drizzle never ran."])].join("\n");
}
