// `bun bench/rls.ts` (and part of `bun run bench`): the cost of row-level security. A typical
// workspace-scoped query through withWorkspace() — one transaction, the runtime role, the
// workspace set, the policy on every table — against the same query filtered by hand on a plain
// connection that no policy applies to. Figures are per query: the contenders run query by query
// in rotation, and each figure is a median over every query (ratios: the median of each round's
// own ratio), so a load spike on a shared machine hits one round, not one contender.
import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { notes, noteTags, tags } from "@ydtb/basic";
import { withWorkspace } from "@ydtb/db-access";
import { openDatabase, type Database, type Orm } from "@ydtb/db-client";
import { migrate } from "@ydtb/db-migrate";
import { discoverDatabasesOrThrow } from "@ydtb/db-registry";
import { and, desc, eq } from "drizzle-orm";
import postgres from "postgres";
import type { TargetCheck } from "./report.ts";

/** Options of {@link measureRls}. */
export interface RlsBenchOptions {
  readonly url?: string;
  readonly workspaces?: number;
  readonly notesPerWorkspace?: number;
  /** Measured rounds per query (each round runs every contender once); medians over them. */
  readonly queries?: number;
  /** Rounds run first and not counted: connections, prepared statements, caches, the JIT. */
  readonly warmup?: number;
  /** Measure on PGlite too. Default true. */
  readonly pglite?: boolean;
}

/** One database's figures for one query, in ms per query. */
export interface RlsFigures {
  readonly kind: "postgres" | "pglite";
  /** The query's key in {@link RLS_QUERIES}. */
  readonly key: string;
  readonly query: string;
  /** Filtered by hand, one auto-committed statement, no policy applies. */
  readonly byHandMs: number;
  /** Filtered by hand inside a plain transaction (what withWorkspace adds minus the policies). */
  readonly byHandInTransactionMs: number;
  /** The same query through withWorkspace: transaction, runtime role, workspace set, policies. */
  readonly withWorkspaceMs: number;
  /** withWorkspace against by hand in a transaction: the cost of the role and the policies (median of per-round ratios). */
  readonly rlsRatio: number;
  /** withWorkspace against the bare statement: everything, the transaction included (median of per-round ratios). */
  readonly totalRatio: number;
  /** Measured rounds. */
  readonly rounds: number;
}

/** The connections of the transaction contenders. */
interface Connections {
  readonly tx: Database;
  readonly app: Database;
}

export const DEFAULT_RLS_BENCH = { workspaces: 20, notesPerWorkspace: 500, queries: 1000, warmup: 100, pglite: true } as const;

/**
 * The size `bun run bench` uses for a number of runs: the defaults, or a quick look with one run
 * (the smoke test's `--runs 1`), where the figures only prove the bench still works.
 *
 * @example
 * await measureRls({ url, ...rlsBenchSize(runs) });
 */
export function rlsBenchSize(runs: number): Omit<RlsBenchOptions, "url"> {
  return runs > 1 ? DEFAULT_RLS_BENCH : { workspaces: 3, notesPerWorkspace: 50, queries: 20, warmup: 5, pglite: false };
}

const root = resolve(import.meta.dir, "..");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const notesWithTags = (db: Orm, ws: string) =>
  db
    .select({ id: notes.id, title: notes.title, pinned: notes.pinned, tag: tags.name })
    .from(notes)
    .leftJoin(noteTags, and(eq(noteTags.workspaceId, notes.workspaceId), eq(noteTags.noteId, notes.id)))
    .leftJoin(tags, and(eq(tags.workspaceId, noteTags.workspaceId), eq(tags.id, noteTags.tagId)))
    .where(eq(notes.workspaceId, ws))
    .orderBy(desc(notes.createdAt));

/** The queries measured: a notes screen's first page, and a whole workspace's notes (listNotes). */
export const RLS_QUERIES: Readonly<Record<string, { readonly label: string; readonly run: (db: Orm, ws: string) => Promise<unknown[]> }>> = {
  newest50: { label: "50 newest notes with their tags", run: (db, ws) => notesWithTags(db, ws).limit(50) },
  all: { label: "all notes of a workspace with their tags", run: (db, ws) => notesWithTags(db, ws) },
};

/** The target: withWorkspace at most this many times the same query by hand in a transaction (rlsRatio). */
export const RLS_TARGET = 1.15;

async function seed(db: Database, workspaces: number, perWorkspace: number): Promise<string[]> {
  const ids = Array.from({ length: workspaces }, (_, i) => `ws_${i}`);
  await db.exec(`
    INSERT INTO ydtb_workspaces (id, name, slug) SELECT 'ws_' || i, 'W' || i, 'w-' || i FROM generate_series(0, ${workspaces - 1}) i;
    INSERT INTO ydtb_basic_notes (workspace_id, id, title, body, created_at)
      SELECT 'ws_' || w, 'n' || n, 'Note ' || n, repeat('text ', 20), now() - make_interval(secs => n)
        FROM generate_series(0, ${workspaces - 1}) w, generate_series(1, ${perWorkspace}) n;
    INSERT INTO ydtb_basic_tags (workspace_id, id, name) SELECT 'ws_' || w, 't' || t, 'tag ' || t FROM generate_series(0, ${workspaces - 1}) w, generate_series(1, 10) t;
    INSERT INTO ydtb_basic_note_tags (workspace_id, note_id, tag_id)
      SELECT 'ws_' || w, 'n' || n, 't' || (1 + n % 10) FROM generate_series(0, ${workspaces - 1}) w, generate_series(1, ${perWorkspace}) n;
    ANALYZE;`);
  return ids;
}

/**
 * Each contender has its own connection on the server, as in production, where the app's pool
 * serves only withWorkspace, and no contender waits behind another's connection. PGlite has one
 * connection.
 */
async function measure(db: Database, app: Connections, kind: RlsFigures["kind"], options: Required<Omit<RlsBenchOptions, "url">>): Promise<RlsFigures[]> {
  await migrate(db, await discoverDatabasesOrThrow(root));
  const ids = await seed(db, options.workspaces, options.notesPerWorkspace);
  const out: RlsFigures[] = [];
  for (const [key, { label, run }] of Object.entries(RLS_QUERIES)) out.push({ key, ...(await measureQuery(db, app, kind, ids, `${label} (${options.notesPerWorkspace} per workspace)`, run, options)) });
  return out;
}

async function measureQuery(
  db: Database,
  app: Connections,
  kind: RlsFigures["kind"],
  ids: readonly string[],
  query: string,
  run: (db: Orm, ws: string) => Promise<unknown[]>,
  options: Required<Omit<RlsBenchOptions, "url">>,
): Promise<Omit<RlsFigures, "key">> {
  const contenders = {
    byHand: (ws: string) => run(db.orm, ws),
    byHandInTransaction: (ws: string) => app.tx.orm.transaction((tx) => run(tx, ws)),
    withWorkspace: (ws: string) => withWorkspace(app.app.orm, ws, (tx) => run(tx, ws)),
  };
  const names = Object.keys(contenders) as (keyof typeof contenders)[];
  // Both must return the same rows, or the comparison is meaningless.
  const [a, b] = [await contenders.byHand(ids[1]!), await contenders.withWorkspace(ids[1]!)];
  if (JSON.stringify(a) !== JSON.stringify(b) || a.length === 0) throw new Error("bench rls: the two contenders returned different rows");
  // Round by round, each contender once, the order rotating; a round's three queries run back to
  // back, so its ratios compare queries that met the same load.
  const ms: Record<keyof typeof contenders, number[]> = { byHand: [], byHandInTransaction: [], withWorkspace: [] };
  const rls: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < options.warmup + options.queries; i++) {
    const ws = ids[i % ids.length]!;
    const round = { byHand: 0, byHandInTransaction: 0, withWorkspace: 0 };
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const started = performance.now();
      await contenders[name](ws);
      round[name] = performance.now() - started;
    }
    if (i < options.warmup) continue;
    for (const name of names) ms[name].push(round[name]);
    rls.push(round.withWorkspace / round.byHandInTransaction);
    total.push(round.withWorkspace / round.byHand);
  }
  return {
    kind,
    query,
    byHandMs: median(ms.byHand),
    byHandInTransactionMs: median(ms.byHandInTransaction),
    withWorkspaceMs: median(ms.withWorkspace),
    rlsRatio: median(rls),
    totalRatio: median(total),
    rounds: options.queries,
  };
}

/**
 * Measures RLS + withWorkspace against a hand-filtered query on the server (a fresh database,
 * dropped after) and on PGlite.
 *
 * @example
 * const figures = await measureRls({ url: "postgres://postgres@127.0.0.1:5432/postgres" });
 */
export async function measureRls(options: RlsBenchOptions = {}): Promise<RlsFigures[]> {
  const o = { ...DEFAULT_RLS_BENCH, ...options };
  const figures: RlsFigures[] = [];
  if (options.url) {
    const admin = postgres(options.url, { max: 1, onnotice: () => {} });
    const name = `ydtb_bench_rls_${process.pid}`;
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    try {
      const url = new URL(options.url);
      url.pathname = `/${name}`;
      const db = await openDatabase({ url: url.toString(), max: 1 });
      const app: Connections = { tx: await openDatabase({ url: url.toString(), max: 1 }), app: await openDatabase({ url: url.toString(), max: 1 }) };
      try {
        figures.push(...(await measure(db, app, "postgres", o)));
      } finally {
        await app.tx.close();
        await app.app.close();
        await db.close();
      }
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end({ timeout: 2 });
    }
  }
  if (!o.pglite) return figures;
  const pg = await PGlite.create();
  try {
    const db = await openDatabase({ pglite: pg });
    figures.push(...(await measure(db, { tx: db, app: db }, "pglite", o)));
  } finally {
    await pg.close();
  }
  return figures;
}

/**
 * The rlsRatio of every query on every database against {@link RLS_TARGET}, for the bench's
 * list of targets: `rlsVsTransaction_<db>_<query key>`.
 *
 * @example
 * rlsTargets(await measureRls({ url })).rlsVsTransaction_postgres_newest50.reached; // true when ≤ 1.15×
 */
export function rlsTargets(figures: readonly RlsFigures[]): Record<string, TargetCheck> {
  const out: Record<string, TargetCheck> = {};
  for (const f of figures) {
    out[`rlsVsTransaction_${f.kind}_${f.key}`] = {
      target: `withWorkspace ≤ ${RLS_TARGET}× the same query by hand in a transaction: ${f.query} (${f.kind})`,
      actual: `${f.rlsRatio.toFixed(2)}×`,
      reached: f.rlsRatio <= RLS_TARGET,
    };
  }
  return out;
}

/** The figures as a table for the terminal. */
export function formatRls(figures: readonly RlsFigures[]): string {
  const rows = [["query", "db", "by hand ms", "by hand in a tx ms", "withWorkspace ms", `vs tx (target ≤ ${RLS_TARGET}×)`, "vs bare", "rounds"]];
  for (const f of figures) {
    rows.push([f.query, f.kind, f.byHandMs.toFixed(3), f.byHandInTransactionMs.toFixed(3), f.withWorkspaceMs.toFixed(3), `${f.rlsRatio.toFixed(2)}×`, `${f.totalRatio.toFixed(2)}×`, String(f.rounds)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ")).join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { url: { type: "string" }, queries: { type: "string" }, notes: { type: "string" }, "no-pglite": { type: "boolean" } } });
  const url = values.url ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
  console.log(`load average before: ${load()} (${availableParallelism()} cores)`);
  const figures = await measureRls({
    url,
    ...(values.queries ? { queries: Number(values.queries) } : {}),
    ...(values.notes ? { notesPerWorkspace: Number(values.notes) } : {}),
    ...(values["no-pglite"] ? { pglite: false } : {}),
  });
  console.log(formatRls(figures));
  console.log(`load average after: ${load()}`);
}
