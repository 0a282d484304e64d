// `bun run bench`: boot and migration cost of ours beside drizzle's per-package migrate() and the
// raw-SQL floor, as medians and ratios. See BENCHMARKS.md for the latest figures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { openDatabase, type Database } from "@ydtb/db-client";
import { initDatabase } from "@ydtb/db-init";
import { validateManifests } from "@ydtb/db-validate";
import postgres from "postgres";
import { generateWorkspace, type SyntheticWorkspace } from "./generate-workspace.ts";
import { formatRls, measureRls, rlsBenchSize } from "./rls.ts";
import { drizzlePerPackage, floorApply, floorNoop, readStatements, type PeerTarget } from "./peers.ts";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "50x20" },
    growth: { type: "string", default: "200x50" },
    "no-growth": { type: "boolean", default: false },
    runs: { type: "string", default: "3" },
    "pglite-size": { type: "string" },
    out: { type: "string", default: resolve(import.meta.dir, "results.json") },
    url: { type: "string" },
  },
});

const parseSize = (s: string) => {
  const [p, m] = s.split("x").map(Number);
  if (!p || !m) throw new Error(`--size "${s}" is not PxM, e.g. 50x20`);
  return { packages: p, migrations: m };
};
const runs = Math.max(1, Number(values.runs));
const serverUrl = values.url ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

type Target = { kind: "postgres"; url: string; dbName: string } | { kind: "pglite"; pglite: PGlite };

let admin: postgres.Sql | undefined;
let serial = 0;
async function freshTarget(kind: "postgres" | "pglite"): Promise<Target> {
  if (kind === "pglite") return { kind, pglite: await PGlite.create() };
  admin ??= postgres(serverUrl, { max: 1, onnotice: () => {} });
  const dbName = `ydtb_bench_${process.pid}_${++serial}`;
  await admin.unsafe(`CREATE DATABASE "${dbName}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  return { kind, url: url.toString(), dbName };
}
async function dropTarget(t: Target): Promise<void> {
  if (t.kind === "pglite") await t.pglite.close();
  else await admin?.unsafe(`DROP DATABASE IF EXISTS "${t.dbName}" WITH (FORCE)`);
}
/** Opens the peers' connection before timing starts (ours opens its own before timing too). */
async function withPeer(t: Target, fn: (peer: PeerTarget) => Promise<void>): Promise<void> {
  if (t.kind === "pglite") return fn({ pglite: t.pglite });
  const sql = postgres(t.url, { max: 1, onnotice: () => {} });
  try {
    await sql`select 1`;
    await fn({ sql });
  } finally {
    await sql.end({ timeout: 2 });
  }
}
async function ours(t: Target): Promise<Database> {
  return t.kind === "pglite" ? openDatabase({ pglite: t.pglite }) : openDatabase({ url: t.url, max: 1 });
}

interface Figures {
  readonly size: string;
  readonly migrations: number;
  readonly tables: number;
  readonly kind: "postgres" | "pglite";
  readonly cold: { ours: number; drizzle: number; floor: number };
  readonly noop: { ours: number; drizzle: number; floor: number; oursQueries: number };
}

async function measure(ws: SyntheticWorkspace, kind: "postgres" | "pglite", label: string, n: number): Promise<Figures> {
  const statements = readStatements(ws.folders);
  const cold = { ours: [] as number[], drizzle: [] as number[], floor: [] as number[] };
  const noop = { ours: [] as number[], drizzle: [] as number[], floor: [] as number[] };
  let oursQueries = 0;
  // One warm-up round (not counted), then n measured rounds.
  for (let round = 0; round <= n; round++) {
    const counted = round > 0;
    {
      const t = await freshTarget(kind);
      const db = await ours(t);
      await db.query("select 1"); // connected before timing, like the peers
      try {
        const ms = await time(() => initDatabase({ db, manifests: ws.manifests, syncTools: false }));
        if (counted) cold.ours.push(ms);
        const again = await time(async () => {
          const { report } = await initDatabase({ db, manifests: ws.manifests, syncTools: false });
          oursQueries = report.queryCount;
        });
        if (counted) noop.ours.push(again);
      } finally {
        await db.close();
        await dropTarget(t);
      }
    }
    {
      const t = await freshTarget(kind);
      try {
        await withPeer(t, async (peer) => {
          const ms = await time(() => drizzlePerPackage(peer, ws.folders));
          if (counted) cold.drizzle.push(ms);
          const again = await time(() => drizzlePerPackage(peer, ws.folders));
          if (counted) noop.drizzle.push(again);
        });
      } finally {
        await dropTarget(t);
      }
    }
    {
      const t = await freshTarget(kind);
      try {
        await withPeer(t, async (peer) => {
          const ms = await time(() => floorApply(peer, statements));
          if (counted) cold.floor.push(ms);
          const again = await time(() => floorNoop(peer));
          if (counted) noop.floor.push(again);
        });
      } finally {
        await dropTarget(t);
      }
    }
    process.stderr.write(`  ${kind} ${label}: round ${round}${counted ? "" : " (warm-up)"} done\n`);
  }
  return {
    size: label,
    migrations: ws.migrationCount,
    tables: ws.tableCount,
    kind,
    cold: { ours: median(cold.ours), drizzle: median(cold.drizzle), floor: median(cold.floor) },
    noop: { ours: median(noop.ours), drizzle: median(noop.drizzle), floor: median(noop.floor), oursQueries },
  };
}

function validationMs(ws: SyntheticWorkspace, n: number): number {
  validateManifests(ws.manifests); // warm-up (fills the per-table cache as a boot would once)
  const xs: number[] = [];
  for (let i = 0; i < Math.max(5, n); i++) {
    const t = performance.now();
    const report = validateManifests(ws.manifests);
    xs.push(performance.now() - t);
    if (report.errorCount > 0) throw new Error(`the synthetic workspace does not validate: ${report.errorCount} errors`);
  }
  return median(xs);
}

async function peakRss(dir: string, size: string): Promise<number> {
  const t = await freshTarget("postgres");
  try {
    const child = Bun.spawn(["bun", resolve(import.meta.dir, "boot-rss.ts"), t.kind === "postgres" ? t.url : "", dir, size], { stdout: "pipe", stderr: "inherit" });
    const out = await new Response(child.stdout).text();
    if ((await child.exited) !== 0) throw new Error(`boot-rss failed: ${out}`);
    return Number(out.trim());
  } finally {
    await dropTarget(t);
  }
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "–");

function table(figures: Figures[]): string {
  const rows = [["measure", "size", "db", "ours ms", "drizzle ms", "floor ms", "ours/drizzle", "ours/floor", "our queries"]];
  for (const f of figures) {
    rows.push(["cold apply", f.size, f.kind, fmt(f.cold.ours), fmt(f.cold.drizzle), fmt(f.cold.floor), ratio(f.cold.ours, f.cold.drizzle), ratio(f.cold.ours, f.cold.floor), ""]);
    rows.push(["no-op boot", f.size, f.kind, fmt(f.noop.ours), fmt(f.noop.drizzle), fmt(f.noop.floor), ratio(f.noop.ours, f.noop.drizzle), ratio(f.noop.ours, f.noop.floor), String(f.noop.oursQueries)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ")).join("\n");
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), "ydtb-bench-"));
  try {
    const base = parseSize(values.size);
    const label = `${base.packages}x${base.migrations}`;
    const ws = generateWorkspace(join(root, label), base);
    process.stderr.write(`bench: ${ws.migrationCount} migrations, ${ws.tableCount} tables, ${runs} runs + warm-up\n`);
    const figures: Figures[] = [await measure(ws, "postgres", label, runs)];
    const pgliteSize = values["pglite-size"] ? parseSize(values["pglite-size"]) : base;
    const pgliteLabel = `${pgliteSize.packages}x${pgliteSize.migrations}`;
    const pgliteWs = pgliteLabel === label ? ws : generateWorkspace(join(root, pgliteLabel), pgliteSize);
    figures.push(await measure(pgliteWs, "pglite", pgliteLabel, runs));
    const validation = { tables: ws.tableCount, ms: validationMs(ws, runs) };
    let growth: { tables: number; validationMs: number } | undefined;
    if (!values["no-growth"]) {
      const g = parseSize(values.growth);
      const gLabel = `${g.packages}x${g.migrations}`;
      const gws = generateWorkspace(join(root, gLabel), g);
      process.stderr.write(`bench growth: ${gws.migrationCount} migrations\n`);
      figures.push(await measure(gws, "postgres", gLabel, 1));
      growth = { tables: gws.tableCount, validationMs: validationMs(gws, runs) };
    }
    const rssBytes = await peakRss(join(root, "rss"), label);
    const rls = await measureRls({ url: serverUrl, ...rlsBenchSize(runs) });
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: navigator.hardwareConcurrency, bun: Bun.version, platform: process.platform },
      runs,
      figures,
      validation,
      ...(growth ? { growthValidation: growth } : {}),
      peakRssMb: Math.round((rssBytes / 1024 / 1024) * 10) / 10,
      rls,
      targets: {
        noopVsDrizzle: { target: "≤ 0.25×", actual: ratio(figures[0]!.noop.ours, figures[0]!.noop.drizzle) },
        coldVsFloor: { target: "≤ 1.25×", actual: ratio(figures[0]!.cold.ours, figures[0]!.cold.floor) },
        validation: { target: "< 20 ms for 250 tables", actual: `${fmt(validation.ms)} ms for ${validation.tables} tables` },
        rss: { target: "< 150 MB at 1,000 migrations", actual: `${Math.round(rssBytes / 1024 / 1024)} MB at ${ws.migrationCount}` },
      },
    };
    mkdirSync(resolve(values.out, ".."), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(table(figures));
    console.log(`\nvalidation: ${fmt(validation.ms)} ms for ${validation.tables} tables${growth ? `; ${fmt(growth.validationMs)} ms for ${growth.tables}` : ""}`);
    console.log(`peak RSS of a cold boot at ${ws.migrationCount} migrations: ${results.peakRssMb} MB`);
    console.log(`\n${formatRls(rls)}`);
    console.log(`\nresults written to ${values.out}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
    await admin?.end({ timeout: 2 });
  }
}

await main();
