import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { postgresError, type SqlSession } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { buildPackageGraph, topologicalOrder } from "../graph/package-graph.ts";
import { historyTableNames } from "./history-schema.ts";
import { folderOf } from "../load/load-folder.ts";
import { loadFromFingerprint } from "../load/migrations-fingerprint.ts";
import type { PackageVersionRow } from "../model/plan-types.ts";
import { inputsDigest, parseStamp, readStampSql, stampHolds, stampTablesOf, stateDigestSql, type StampAnswer, type StampPackage, type StampTables, type StoredStamp } from "../plan/boot-stamp.ts";
import { planRun } from "../plan/plan-run.ts";

/**
 * The boot stamp (see the README, "Boot stamp"): one row recording that, for these inputs on
 * disk and these manifests, against the database state it names, the planner's answer was
 * "nothing to do". A later boot whose inputs and database state are the same gives that answer
 * without importing, validating or loading anything (`readBootStamp` + `stampHolds`).
 */
export function stampTables(historyTable?: string): StampTables {
  const t = historyTableNames(historyTable);
  return stampTablesOf(t.history, t.versions);
}

/** Where each manifest's boot inputs are; undefined when one has TypeScript migrations (no stamp then). */
export function stampLayoutOf(manifests: readonly DatabaseManifest[]): StampPackage[] | undefined {
  if (manifests.some((m) => typeof m.migrations !== "string")) return undefined;
  return manifests.map((m) => ({ name: m.packageName, source: m.source ?? null, packageDir: m.packageDir ?? null, folder: folderOf(m) }));
}

/**
 * Digest of what the planner and the tools sync read of the manifests in memory (not their
 * tables: validation is proven by `validate`/CI and by every boot with work, see the README).
 */
export function manifestsDigest(manifests: readonly DatabaseManifest[]): string {
  const rows = manifests.map((m) => [
    m.packageName,
    m.version,
    m.dependencies,
    m.tools,
    m.extensions,
    m.globalTables,
    m.exemptions,
    m.lockTimeoutMs ?? null,
    m.statementTimeoutMs ?? null,
    typeof m.migrations === "string" ? m.migrations : null,
    m.packageDir ?? null,
    m.source ?? null,
    m.tables.length,
  ]);
  rows.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0));
  return new Bun.CryptoHasher("sha256").update(JSON.stringify(rows)).digest("hex");
}

// A manifest whose version is not its package.json's (a module Bun imported before the file
// changed, or a version written by hand): a boot from disk could not tell, so it gets no stamp.
function versionDisagrees(m: DatabaseManifest): boolean {
  const file = m.packageDir ? join(m.packageDir, "package.json") : undefined;
  if (!file || !existsSync(file)) return false;
  return (JSON.parse(readFileSync(file, "utf8")) as { version?: unknown }).version !== m.version;
}

/**
 * The stamp, or undefined when there is none yet or it cannot be read (one query).
 *
 * @example
 * const stamp = await readBootStamp(db);
 */
export async function readBootStamp(session: SqlSession, t: StampTables = stampTables()): Promise<StoredStamp | undefined> {
  try {
    const [row] = await session.query(readStampSql(t));
    return parseStamp(row);
  } catch (error) {
    // No stamp table yet (first boot after an upgrade, a fresh database) or no bookkeeping
    // tables: the stamp is only a shortcut, so the caller takes the full path, which reports
    // any real problem with the database. Anything else is a real failure and is rethrown.
    if (postgresError(error)?.code === "42P01") return undefined;
    throw new Error(`reading the boot stamp "${t.stamp}" failed: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * What the stamp answers for these manifests, or undefined: the full path must run. `inputs`
 * is {@link inputsDigest} of their {@link stampLayoutOf}, taken when they were loaded.
 *
 * @example
 * const answer = await bootStampAnswer(db, manifests, inputsDigest(stampLayoutOf(manifests)!));
 */
export async function bootStampAnswer(session: SqlSession, manifests: readonly DatabaseManifest[], inputs: string, t: StampTables = stampTables()): Promise<StampAnswer | undefined> {
  const stamp = await readBootStamp(session, t);
  if (!stamp || stamp.manifests !== manifestsDigest(manifests)) return undefined;
  return stampHolds(stamp, inputs) ? stamp.answer : undefined;
}

/**
 * After a successful boot: asks the planner, from the versions rows as they are now and the
 * migrations as a no-op boot loads them (fingerprints), whether there is anything to do; only
 * when its answer is "nothing" is the stamp written, for the state digest read in the same
 * statement as those rows, and only if the state has not changed since (compare-and-set).
 * `inputs` is {@link inputsDigest} taken when the manifests were loaded: files edited since
 * (the manifests in memory may predate them) leave the stamp unwritten. Returns whether it was
 * written. Three queries when it is, one when it is not.
 */
export async function writeBootStamp(
  session: SqlSession,
  manifests: readonly DatabaseManifest[],
  answer: Omit<StampAnswer, "order">,
  options: { readonly inputs: string; readonly tables?: StampTables },
): Promise<boolean> {
  const t = options.tables ?? stampTables();
  const layout = stampLayoutOf(manifests);
  if (!layout || inputsDigest(layout) !== options.inputs || manifests.some(versionDisagrees)) return false;
  const packages = manifests.map((m) => (typeof m.migrations === "string" ? loadFromFingerprint(m) : undefined));
  if (!layout || packages.some((p) => p === undefined) || packages.length === 0) return false;
  const loaded = packages.filter((p) => p !== undefined);
  const order = topologicalOrder(buildPackageGraph(loaded));
  const rows = await session.query<{ package: string; schema_version: string | null; code_version: string; applied_count: number; digest: string; state: string }>(
    `SELECT package, schema_version, code_version, applied_count, digest, ${stateDigestSql(t)} AS state FROM "${t.versions}"`,
  );
  const versions: PackageVersionRow[] = rows.map((r) => ({ package: r.package, schemaVersion: r.schema_version, codeVersion: r.code_version, appliedCount: Number(r.applied_count), digest: r.digest }));
  const decision = planRun({ packages: loaded, order, state: { kind: "summary", versions } });
  const state = rows[0]?.state;
  if (decision.kind !== "plan" || !decision.fromSummary || state === undefined) return false;
  await session.exec(
    `CREATE TABLE IF NOT EXISTS "${t.stamp}" (id integer PRIMARY KEY CHECK (id = 1), inputs text NOT NULL, manifests text NOT NULL, state text NOT NULL, ` +
      `layout jsonb NOT NULL, answer jsonb NOT NULL, written_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
  );
  const written = await session.query(
    `INSERT INTO "${t.stamp}" (id, inputs, manifests, state, layout, answer) SELECT 1, $1, $2, s.now, $3::jsonb, $4::jsonb FROM (SELECT ${stateDigestSql(t)} AS now) s WHERE s.now = $5 ` +
      `ON CONFLICT (id) DO UPDATE SET inputs = excluded.inputs, manifests = excluded.manifests, state = excluded.state, layout = excluded.layout, answer = excluded.answer, written_at = clock_timestamp() RETURNING id`,
    [options.inputs, manifestsDigest(manifests), JSON.stringify(layout), JSON.stringify({ ...answer, order }), state],
  );
  return written.length === 1;
}
