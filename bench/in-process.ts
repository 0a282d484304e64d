import { resolve } from "node:path";
import { openDatabase, type Database } from "@ydtb/db-client";
import { initDatabase } from "@ydtb/db-init";
import { validateManifests } from "@ydtb/db-validate";
import postgres from "postgres";
import type { SyntheticWorkspace } from "./generate-workspace.ts";
import { drizzlePerPackage, floorApply, floorNoop, readStatements, type PeerTarget } from "./peers.ts";
import { dropTarget, freshTarget, median, type Target } from "./targets.ts";

/** In-process figures at one size on one kind of database (medians, ms). */
export interface Figures {
  readonly size: string;
  readonly migrations: number;
  readonly tables: number;
  readonly kind: "postgres" | "pglite";
  readonly cold: { ours: number; drizzle: number; floor: number };
  readonly noop: { ours: number; drizzle: number; floor: number; oursQueries: number };
}

const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

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
const ours = (t: Target): Promise<Database> => (t.kind === "pglite" ? openDatabase({ pglite: t.pglite }) : openDatabase({ url: t.url, max: 1 }));

/**
 * Cold apply and no-op boot inside this process: `initDatabase({ manifests })` beside drizzle's
 * per-package `migrate()` and the floor, each on a fresh database, `warmup` uncounted rounds then
 * `runs` counted ones.
 */
export async function measureInProcess(ws: SyntheticWorkspace, kind: "postgres" | "pglite", label: string, options: { readonly runs: number; readonly warmup: number; readonly serverUrl: string }): Promise<Figures> {
  const statements = readStatements(ws.folders);
  const cold = { ours: [] as number[], drizzle: [] as number[], floor: [] as number[] };
  const noop = { ours: [] as number[], drizzle: [] as number[], floor: [] as number[] };
  let oursQueries = 0;
  for (let round = 0; round < options.warmup + options.runs; round++) {
    const counted = round >= options.warmup;
    {
      const t = await freshTarget(kind, options.serverUrl);
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
      const t = await freshTarget(kind, options.serverUrl);
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
      const t = await freshTarget(kind, options.serverUrl);
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
    process.stderr.write(`  in process ${kind} ${label}: round ${round + 1}/${options.warmup + options.runs}${counted ? "" : " (warm-up)"}\n`);
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

/** Median time to validate every table of the workspace (after one warm-up call). */
export function validationMs(ws: SyntheticWorkspace, n: number): number {
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

/** Peak RSS (bytes) of a cold boot at `size`, in a child process, on a fresh server database. */
export async function peakRss(dir: string, size: string, serverUrl: string): Promise<number> {
  const t = await freshTarget("postgres", serverUrl);
  try {
    const child = Bun.spawn([process.execPath, resolve(import.meta.dir, "boot-rss.ts"), t.kind === "postgres" ? t.url : "", dir, size], { stdout: "pipe", stderr: "inherit" });
    const out = await new Response(child.stdout).text();
    if ((await child.exited) !== 0) throw new Error(`boot-rss failed: ${out}`);
    return Number(out.trim());
  } finally {
    await dropTarget(t);
  }
}
