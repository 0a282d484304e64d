import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabase, type Database, type SqlSession } from "@ydtb/db-client";
import { migrationsFolder, type DatabaseManifest } from "@ydtb/db-registry";
import { buildPackageGraph, dependenciesOf } from "../graph/package-graph.ts";
import { loadPackageMigrations } from "../load/load-migrations.ts";
import { JOURNAL_FILE, readJournal } from "../load/read-journal.ts";
import type { LoadedMigration } from "../model/loaded-package.ts";
import { migrate } from "../run/migrate.ts";
import { prepareMigration } from "../run/prepare-steps.ts";
import { runMigration } from "../run/run-migration.ts";
import { diffCatalogs, schemaCatalog } from "./schema-catalog.ts";

/** One migration's up → down → up round trip. */
export interface UpDownUpResult {
  readonly id: string;
  readonly ok: boolean;
  /** Catalog lines that differ (`- ` missing after, `+ ` extra after), or what failed. */
  readonly diff?: readonly string[];
}

/** Whether the Drizzle schema and the migrations agree. */
export type DriftResult = { readonly ok: boolean; readonly sql: readonly string[] } | { readonly skipped: string };

/** What {@link checkPackage} found. */
export interface CheckResult {
  readonly package: string;
  readonly ok: boolean;
  /** One entry per migration that has a down. */
  readonly upDownUp: readonly UpDownUpResult[];
  readonly drift: DriftResult;
  /** What {@link CheckOptions.afterMigrations} found on the migrated scratch database (absent without it). */
  readonly catalog?: readonly string[];
}

/** Options of {@link checkPackage}. */
export interface CheckOptions {
  /**
   * Checks the scratch database once every migration of the package is up, returning findings
   * (empty when fine): how `ydtb-db check` adds `@ydtb/db-access`'s row-level-security drift.
   */
  readonly afterMigrations?: (db: SqlSession, manifest: DatabaseManifest) => Promise<readonly string[]>;
  /**
   * An empty database to check on instead of a new in-memory PGlite (which runs initdb); the
   * caller owns it and it is left open. Tests pass one from `@ydtb/test-db`.
   */
  readonly database?: Database;
}

/**
 * Checks a package on a scratch in-memory PGlite database: applies its dependencies, then
 * each of its migrations in order, and for every migration with a down verifies that
 * up → down gives back the schema from before and down → up the schema from after (catalogs
 * compared: tables, columns with types, nullability and defaults, constraints, indexes).
 * Then checks that the Drizzle schema and the last drizzle-kit snapshot agree (drizzle-kit's
 * in-memory diff is empty; otherwise `sql` is what `db:generate` would write).
 *
 * @example
 * const result = await checkPackage(basicManifest, registry.list());
 * if (!result.ok) console.log(result.upDownUp.filter((s) => !s.ok), result.drift);
 */
export async function checkPackage(manifest: DatabaseManifest, allManifests: readonly DatabaseManifest[], options: CheckOptions = {}): Promise<CheckResult> {
  const others = allManifests.filter((m) => m.packageName !== manifest.packageName);
  const graph = buildPackageGraph([...others, manifest]);
  const needed = new Set(dependenciesOf(graph, manifest.packageName));
  const loaded = loadPackageMigrations(manifest);
  const upDownUp: UpDownUpResult[] = [];
  let catalog: readonly string[] | undefined;
  const db = options.database ?? (await openDatabase());
  try {
    await migrate(db, others.filter((m) => needed.has(m.packageName)));
    for (const m of loaded.migrations) {
      const before = await schemaCatalog(db);
      const up = await attempt(db, m, "up");
      if (up) {
        upDownUp.push({ id: m.id, ok: false, diff: [up] });
        break;
      }
      if (!m.down) continue;
      const after = await schemaCatalog(db);
      const down = await attempt(db, m, "down");
      if (down) {
        upDownUp.push({ id: m.id, ok: false, diff: [down] });
        break;
      }
      const downDiff = diffCatalogs(before, await schemaCatalog(db)).map((l) => `after down (vs before up): ${l}`);
      const again = await attempt(db, m, "up");
      if (again) {
        upDownUp.push({ id: m.id, ok: false, diff: [...downDiff, again] });
        break;
      }
      const diff = [...downDiff, ...diffCatalogs(after, await schemaCatalog(db)).map((l) => `after up again (vs first up): ${l}`)];
      upDownUp.push({ id: m.id, ok: diff.length === 0, ...(diff.length ? { diff } : {}) });
    }
    if (options.afterMigrations && upDownUp.every((s) => s.ok)) catalog = await options.afterMigrations(db, manifest);
  } finally {
    if (!options.database) await db.close();
  }
  const drift = await schemaDrift(manifest);
  const ok = upDownUp.every((s) => s.ok) && ("skipped" in drift || drift.ok) && !catalog?.length;
  return { package: manifest.packageName, ok, upDownUp, drift, ...(catalog ? { catalog } : {}) };
}

async function attempt(db: SqlSession & { transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> }, m: LoadedMigration, direction: "up" | "down"): Promise<string | undefined> {
  try {
    const prepared = await prepareMigration(m, direction);
    if (!prepared.body.transaction) await runMigration(db, prepared);
    else await db.transaction((tx) => runMigration(tx, prepared));
    return undefined;
  } catch (error) {
    // A failing (or refused) migration is the finding this check reports, not a crash.
    return `${direction} failed: ${(error as Error).message}`;
  }
}

/**
 * Compares a package's Drizzle schema with its last drizzle-kit snapshot, in memory.
 *
 * @example
 * const drift = await schemaDrift(basicManifest);
 * if ("sql" in drift && !drift.ok) console.log(drift.sql.join("\n"));
 */
export async function schemaDrift(manifest: DatabaseManifest): Promise<DriftResult> {
  if (typeof manifest.migrations !== "string") return { skipped: "TypeScript migrations have no drizzle-kit snapshot to compare the schema with" };
  const folder = migrationsFolder(manifest)!;
  const journalFile = join(folder, JOURNAL_FILE);
  if (!existsSync(journalFile)) return { skipped: `no ${JOURNAL_FILE} in ${folder}` };
  const last = readJournal(manifest.packageName, folder).at(-1)?.idx ?? -1;
  const snapshotFile = join(folder, "meta", `${String(last).padStart(4, "0")}_snapshot.json`);
  if (!existsSync(snapshotFile)) return { skipped: `no snapshot ${snapshotFile} (hand-written migration?)` };
  const { generateDrizzleJson, generateMigration } = await import("drizzle-kit/api");
  const snapshot = JSON.parse(readFileSync(snapshotFile, "utf8")) as Parameters<typeof generateMigration>[0];
  try {
    // A plain object: drizzle-kit's generateDrizzleJson fails on a module namespace's null prototype.
    const sql = await generateMigration(snapshot, generateDrizzleJson({ ...manifest.schema } as Record<string, unknown>));
    return { ok: sql.length === 0, sql };
  } catch (error) {
    // A rename makes drizzle-kit ask interactively; without a terminal it throws.
    return { ok: false, sql: [`-- drizzle-kit could not diff in memory (${(error as Error).message}); run \`bun run db:generate\` in the package to resolve it interactively`] };
  }
}
