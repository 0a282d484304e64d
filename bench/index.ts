// `bun run bench`: what an operator feels — whole-process no-op boots (`ydtb-db migrate`, apps/core
// to its first 200) on a workspace of real packages on disk, beside a drizzle script and the floor —
// and the in-process figures (cold apply, no-op boot, validation, peak RSS). Medians, as ratios,
// written to bench/results.json and BENCHMARKS.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateWorkspace } from "./generate-workspace.ts";
import { measureInProcess, peakRss, validationMs, type Figures } from "./in-process.ts";
import { checkTargets, fmt, inProcessRows, markdownTable, textTable, wholeProcessRows, writeMarkdownBlock } from "./report.ts";
import { formatRls, measureRls, rlsBenchSize, rlsTargets } from "./rls.ts";
import { closeTargets } from "./targets.ts";
import { measureWholeProcess, type ProcessFigures } from "./whole-process.ts";
import { writeWorkspace } from "./write-workspace.ts";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "50x20" },
    growth: { type: "string", default: "200x50" },
    "no-growth": { type: "boolean", default: false },
    runs: { type: "string", default: "3" },
    warmup: { type: "string", default: "1" },
    "pglite-size": { type: "string" },
    "process-sizes": { type: "string", default: "50x20,200x50" },
    "process-runs": { type: "string", default: "5" },
    "no-rss": { type: "boolean", default: false },
    out: { type: "string", default: resolve(import.meta.dir, "results.json") },
    markdown: { type: "string", default: resolve(import.meta.dir, "../BENCHMARKS.md") },
    url: { type: "string" },
  },
});

const parseSize = (s: string) => {
  const [p, m] = s.split("x").map(Number);
  if (!p || !m) throw new Error(`size "${s}" is not PxM, e.g. 50x20`);
  return { packages: p, migrations: m };
};
const count = (name: string, s: string, min: number) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} "${s}" is not an integer ≥ ${min}`);
  return n;
};
const runs = count("runs", values.runs, 1);
const warmup = count("warmup", values.warmup, 0);
const processRuns = count("process-runs", values["process-runs"], 1);
const processSizes = values["process-sizes"] === "none" ? [] : values["process-sizes"].split(",").map((s) => s.trim());
const serverUrl = values.url ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const repoRoot = resolve(import.meta.dir, "..");

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), "ydtb-bench-"));
  // Whole-process workspaces sit inside the repository so their imports resolve through its node_modules.
  mkdirSync(join(repoRoot, ".tmp"), { recursive: true });
  const onDisk = mkdtempSync(join(repoRoot, ".tmp", "bench-"));
  const options = { runs, warmup, serverUrl };
  try {
    const processes: ProcessFigures[] = [];
    for (const label of processSizes) {
      const ws = writeWorkspace(join(onDisk, label), parseSize(label));
      process.stderr.write(`bench whole process: ${label} (${ws.migrationCount} migrations) on disk\n`);
      processes.push(await measureWholeProcess(ws, label, { runs: processRuns, warmup, serverUrl }));
    }

    const base = parseSize(values.size);
    const label = `${base.packages}x${base.migrations}`;
    const ws = generateWorkspace(join(tmp, label), base);
    process.stderr.write(`bench in process: ${ws.migrationCount} migrations, ${ws.tableCount} tables, ${runs} runs + ${warmup} warm-up\n`);
    const figures: Figures[] = [await measureInProcess(ws, "postgres", label, options)];
    const pgliteSize = values["pglite-size"] ? parseSize(values["pglite-size"]) : base;
    const pgliteLabel = `${pgliteSize.packages}x${pgliteSize.migrations}`;
    const pgliteWs = pgliteLabel === label ? ws : generateWorkspace(join(tmp, pgliteLabel), pgliteSize);
    figures.push(await measureInProcess(pgliteWs, "pglite", pgliteLabel, options));
    const validation = { tables: ws.tableCount, ms: validationMs(ws, runs) };
    let growth: { tables: number; validationMs: number } | undefined;
    if (!values["no-growth"]) {
      const g = parseSize(values.growth);
      const gLabel = `${g.packages}x${g.migrations}`;
      const gws = generateWorkspace(join(tmp, gLabel), g);
      process.stderr.write(`bench growth in process: ${gws.migrationCount} migrations, one measured run\n`);
      figures.push(await measureInProcess(gws, "postgres", gLabel, { ...options, runs: 1 }));
      growth = { tables: gws.tableCount, validationMs: validationMs(gws, runs) };
    }
    const rssBytes = values["no-rss"] ? undefined : await peakRss(join(tmp, "rss"), label, serverUrl);
    const peakRssMb = rssBytes === undefined ? undefined : Math.round((rssBytes / 1024 / 1024) * 10) / 10;
    const rls = await measureRls({ url: serverUrl, ...rlsBenchSize(runs) });
    const targets = { ...checkTargets(figures, processes), ...rlsTargets(rls) };
    const load = (await Bun.file("/proc/loadavg").text().catch(() => "")).split(" ").slice(0, 3).join(" ");
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: navigator.hardwareConcurrency, bun: Bun.version, platform: process.platform, loadAverage: load },
      runs,
      processRuns,
      processes,
      figures,
      validation,
      ...(growth ? { growthValidation: growth } : {}),
      ...(peakRssMb === undefined ? {} : { peakRssMb }),
      rls,
      targets,
    };
    mkdirSync(resolve(values.out, ".."), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);

    const validationLine = `validation: ${fmt(validation.ms)} ms for ${validation.tables} tables${growth ? `; ${fmt(growth.validationMs)} ms for ${growth.tables}` : ""}`;
    const rssLine = peakRssMb === undefined ? "" : `peak RSS of a cold boot at ${ws.migrationCount} migrations: ${peakRssMb} MB`;
    const targetLines = Object.values(targets).map((t) => `${t.reached ? "reached" : "NOT reached"}: ${t.target} — ${t.actual}`);
    if (processes.length) console.log(`whole process, server (wall / CPU ms, medians of ${processRuns} interleaved runs):\n${textTable(wholeProcessRows(processes))}\n`);
    console.log(`in process (ms, medians of ${runs}):\n${textTable(inProcessRows(figures))}`);
    console.log(`\n${validationLine}${rssLine ? `\n${rssLine}` : ""}\n\n${targetLines.join("\n")}`);
    console.log(`\nrow-level security, ms per query:\n${formatRls(rls)}`);

    if (values.markdown !== "none") {
      const md = [
        `${results.date.slice(0, 10)} · ${navigator.hardwareConcurrency} CPUs · load average at the end ${load} · Bun ${Bun.version} · \`bun run bench\` defaults.`,
        ...(processes.length ? ["", `**Whole process**, server, wall / CPU ms, medians of ${processRuns} interleaved runs after ${warmup} warm-up:`, "", markdownTable(wholeProcessRows(processes))] : []),
        "",
        `**In process** (\`initDatabase({ manifests })\`), ms, medians of ${runs} (growth: one run):`,
        "",
        markdownTable(inProcessRows(figures)),
        "",
        `- ${validationLine}`,
        ...(rssLine ? [`- ${rssLine}`] : []),
        "",
        "| target | result | |",
        "|---|---|---|",
        ...Object.values(targets).map((t) => `| ${t.target} | ${t.actual} | ${t.reached ? "reached" : "**not reached**"} |`),
        "",
        "**Row-level security** (`withWorkspace` against the same query by hand), ms per query:",
        "",
        "```",
        formatRls(rls),
        "```",
      ].join("\n");
      writeMarkdownBlock(values.markdown, md);
    }
    console.log(`\nresults written to ${values.out}${values.markdown !== "none" ? ` and ${values.markdown}` : ""}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(onDisk, { recursive: true, force: true });
    await closeTargets();
  }
}

await main();
