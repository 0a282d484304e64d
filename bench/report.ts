import { readFileSync, writeFileSync } from "node:fs";
import type { Figures } from "./in-process.ts";
import type { ProcessCost, ProcessFigures } from "./whole-process.ts";

/** A target and whether the figure reaches it. */
export interface TargetCheck {
  readonly target: string;
  readonly actual: string;
  readonly reached: boolean;
}

export const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "–");
const both = (c: ProcessCost) => `${fmt(c.wallMs)} / ${fmt(c.cpuMs)}`;

/** Rows as an aligned text table (first row: header). */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ")).join("\n");
}

/** Rows as a markdown table (first row: header; columns after the third right-aligned). */
export function markdownTable(rows: readonly (readonly string[])[]): string {
  const [head, ...body] = rows;
  const align = head!.map((_, i) => (i < 3 ? "---" : "---:"));
  return [head!, align, ...body].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** In-process rows: cold apply and no-op boot per size and database. */
export function inProcessRows(figures: readonly Figures[]): string[][] {
  const rows = [["measure", "size", "db", "ours ms", "drizzle ms", "floor ms", "ours/drizzle", "ours/floor", "our queries"]];
  for (const f of figures) {
    rows.push(["cold apply", f.size, f.kind, fmt(f.cold.ours), fmt(f.cold.drizzle), fmt(f.cold.floor), ratio(f.cold.ours, f.cold.drizzle), ratio(f.cold.ours, f.cold.floor), ""]);
    rows.push(["no-op boot", f.size, f.kind, fmt(f.noop.ours), fmt(f.noop.drizzle), fmt(f.noop.floor), ratio(f.noop.ours, f.noop.drizzle), ratio(f.noop.ours, f.noop.floor), String(f.noop.oursQueries)]);
  }
  return rows;
}

/** Whole-process rows (wall / CPU ms), with ratios on wall time and on CPU time. */
export function wholeProcessRows(figures: readonly ProcessFigures[]): string[][] {
  const rows = [["process", "size", "migrations", "ydtb-db migrate", "apps/core → 200", "drizzle script", "floor", "cli/drizzle wall · cpu", "app/drizzle wall · cpu", "cli/floor wall"]];
  for (const f of figures) {
    const n = f.noop;
    rows.push([
      "no-op boot",
      f.size,
      String(f.migrations),
      both(n.cli),
      both(n.app),
      both(n.drizzle),
      both(n.floor),
      `${ratio(n.cli.wallMs, n.drizzle.wallMs)} · ${ratio(n.cli.cpuMs, n.drizzle.cpuMs)}`,
      `${ratio(n.app.wallMs, n.drizzle.wallMs)} · ${ratio(n.app.cpuMs, n.drizzle.cpuMs)}`,
      ratio(n.cli.wallMs, n.floor.wallMs),
    ]);
    rows.push(["cold (1 run)", f.size, String(f.migrations), both(f.cold.cli), "", both(f.cold.drizzle), "", `${ratio(f.cold.cli.wallMs, f.cold.drizzle.wallMs)} · ${ratio(f.cold.cli.cpuMs, f.cold.drizzle.cpuMs)}`, "", ""]);
  }
  return rows;
}

/** The targets against these figures. */
export function checkTargets(inProcess: readonly Figures[], processes: readonly ProcessFigures[]): Record<string, TargetCheck> {
  const out: Record<string, TargetCheck> = {};
  const [small, large] = processes;
  if (small) {
    const r = small.noop.cli.wallMs / small.noop.drizzle.wallMs;
    out.processNoopVsDrizzle = { target: `whole-process no-op ydtb-db migrate ≤ 1.0× the drizzle script at ${small.size}`, actual: `${r.toFixed(2)}× wall, ${ratio(small.noop.cli.cpuMs, small.noop.drizzle.cpuMs)} CPU`, reached: r <= 1 };
  }
  if (small && large) {
    const r = large.noop.cli.wallMs / small.noop.cli.wallMs;
    out.processGrowth = { target: `whole-process no-op at ${large.size} ≤ 1.2× ours at ${small.size}`, actual: `${r.toFixed(2)}× wall, ${ratio(large.noop.cli.cpuMs, small.noop.cli.cpuMs)} CPU`, reached: r <= 1.2 };
  }
  const server = inProcess.filter((f) => f.kind === "postgres");
  const base = server[0];
  if (base) {
    const r = base.noop.ours / base.noop.drizzle;
    out.inProcessNoopVsDrizzle = { target: `in-process no-op ≤ 0.25× drizzle at ${base.size} (server)`, actual: `${r.toFixed(2)}×`, reached: r <= 0.25 };
  }
  for (const f of server) {
    const r = f.cold.ours / f.cold.floor;
    out[`coldVsFloor_${f.size}`] = { target: `cold apply ≤ 1.10× the floor at ${f.migrations} migrations (server)`, actual: `${r.toFixed(2)}×`, reached: r <= 1.1 };
  }
  return out;
}

export const BENCH_BEGIN = "<!-- bench:begin (written by `bun run bench`) -->";
export const BENCH_END = "<!-- bench:end -->";

/**
 * Replaces the block between {@link BENCH_BEGIN} and {@link BENCH_END} in a markdown file with
 * `block` (appends the markers when missing).
 */
export function writeMarkdownBlock(file: string, block: string): void {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    // A missing file is written fresh; anything else (permissions) is a real fault.
    if ((error as { code?: string }).code !== "ENOENT") throw new Error(`reading ${file} failed`, { cause: error });
  }
  const start = text.indexOf(BENCH_BEGIN);
  const end = text.indexOf(BENCH_END);
  const wrapped = `${BENCH_BEGIN}\n${block.trim()}\n${BENCH_END}`;
  const next = start >= 0 && end > start ? `${text.slice(0, start)}${wrapped}${text.slice(end + BENCH_END.length)}` : `${text.trimEnd()}\n\n${wrapped}\n`;
  writeFileSync(file, next);
}
