import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CORE_PACKAGE, impliesCore, migrationsFolder, type DatabaseManifest } from "@ydtb/db-registry";
import { checksumSql, checksumTypeScript } from "./checksum.ts";
import { MigrationLoadError, NonIdempotentStatementError, VersionAttributionError } from "./errors.ts";
import type { LoadedMigration, LoadedPackage, MigrationBody } from "./loaded-package.ts";
import { readVersionAttribution, type VersionAttribution } from "./migration-versions.ts";
import { excerpt, isIdempotentStatement, isNoTransaction, splitBreakpoints, splitStatements } from "./sql-statements.ts";

/** The drizzle-kit journal, relative to the migrations folder. */
export const JOURNAL_FILE = "meta/_journal.json";

interface JournalEntry {
  readonly idx: number;
  readonly tag: string;
}

/**
 * A package's dependencies with {@link CORE_PACKAGE} implied for every package whose tables
 * reference a table outside it (core's workspaces, as every workspace table does), or whose
 * tables are not known; not for core itself, nor for a package that only brings migrations.
 *
 * @example
 * impliedDependencies({ packageName: "@ydtb/basic", dependencies: {} }) // { "@ydtb/core": "*" }
 */
export function impliedDependencies(manifest: Pick<DatabaseManifest, "packageName" | "dependencies"> & { readonly tables?: DatabaseManifest["tables"] }): Record<string, string> {
  const deps = { ...manifest.dependencies };
  // Not for a package whose tables reference nothing outside it, or that has none (see impliesCore).
  if (impliesCore(manifest)) deps[CORE_PACKAGE] = "*";
  return deps;
}

/**
 * Reads every manifest's migrations (pure file reading, no database): drizzle-kit folders in
 * journal order with statements split on `--> statement-breakpoint` and an optional
 * `NNNN_name.down.sql` beside each file as its down; TypeScript migrations as listed. Each
 * gets its checksum and the version it was released in ({@link VERSIONS_FILE}).
 *
 * Throws `MigrationLoadError`, `NonIdempotentStatementError` or `VersionAttributionError`
 * naming the package and file.
 *
 * @example
 * const packages = loadMigrations(registry.list());
 * packages[0].migrations.map((m) => m.id) // ["0000_core", "0001_tools_phase2"]
 */
export function loadMigrations(manifests: readonly DatabaseManifest[]): LoadedPackage[] {
  return manifests.map(loadPackageMigrations);
}

/**
 * {@link loadMigrations} for one manifest.
 *
 * @example
 * loadPackageMigrations(coreManifest).migrations.length // 2
 */
export function loadPackageMigrations(manifest: DatabaseManifest): LoadedPackage {
  const attribution = readVersionAttribution(manifest);
  const migrations = typeof manifest.migrations === "string" ? loadFolder(manifest) : loadTypeScript(manifest);
  const attributed = migrations.map((m) => ({ ...m, version: attribution.byId.get(m.id) ?? null }));
  checkAttributionOrder(manifest.packageName, attribution, attributed);
  return {
    packageName: manifest.packageName,
    version: manifest.version,
    dependencies: impliedDependencies(manifest),
    tables: manifest.tables,
    migrations: attributed,
    releasedVersions: attribution.versions,
  };
}

/**
 * The migration ids of a package in order, without reading the SQL files.
 *
 * @example
 * migrationIdsOf(basicManifest) // ["0000_notes", "0001_pinned"]
 */
export function migrationIdsOf(manifest: DatabaseManifest): string[] {
  if (typeof manifest.migrations !== "string") return manifest.migrations.map((m) => m.id);
  const folder = folderOf(manifest);
  return readJournal(manifest.packageName, folder).map((e) => e.tag);
}

function folderOf(manifest: DatabaseManifest): string {
  try {
    return migrationsFolder(manifest)!;
  } catch (error) {
    throw new MigrationLoadError(manifest.packageName, String(manifest.migrations), (error as Error).message, { cause: error });
  }
}

function readJournal(packageName: string, folder: string): JournalEntry[] {
  const file = join(folder, JOURNAL_FILE);
  if (!existsSync(file)) {
    throw new MigrationLoadError(packageName, file, `no drizzle-kit journal; run \`bun run db:generate\` in the package to write its first migration, or point migrations at the folder drizzle-kit writes (e.g. "./drizzle")`);
  }
  let journal: { entries?: unknown };
  try {
    journal = JSON.parse(readFileSync(file, "utf8")) as { entries?: unknown };
  } catch (error) {
    throw new MigrationLoadError(packageName, file, `is not valid JSON (${(error as Error).message}); restore it from version control or regenerate it with drizzle-kit`, { cause: error });
  }
  if (!Array.isArray(journal.entries)) throw new MigrationLoadError(packageName, file, `has no "entries" array; restore it from version control or regenerate it with drizzle-kit`);
  const entries = journal.entries as Partial<JournalEntry>[];
  for (const [i, e] of entries.entries()) {
    if (typeof e?.tag !== "string" || typeof e.idx !== "number") {
      throw new MigrationLoadError(packageName, file, `entries[${i}] needs a string "tag" and a number "idx"; restore the journal from version control`);
    }
  }
  return [...(entries as JournalEntry[])].sort((a, b) => a.idx - b.idx);
}

// Every boot loads every migration to verify its checksum, so this is on the hot path: one
// directory listing instead of an existence check per file, one read per file, and the
// statements split only when a migration actually runs.
function loadFolder(manifest: DatabaseManifest): Omit<LoadedMigration, "version">[] {
  const folder = folderOf(manifest);
  const journal = readJournal(manifest.packageName, folder);
  const files = new Set(readdirSync(folder));
  return journal.map((entry, index) => {
    const file = join(folder, `${entry.tag}.sql`);
    if (!files.has(`${entry.tag}.sql`)) {
      throw new MigrationLoadError(manifest.packageName, file, `is listed in ${JOURNAL_FILE} (tag "${entry.tag}") but missing; restore it from version control, or regenerate the folder with drizzle-kit`);
    }
    const text = readFileSync(file, "utf8");
    const up = sqlBody(manifest.packageName, entry.tag, file, text);
    const downName = `${entry.tag}.down.sql`;
    const downFile = join(folder, downName);
    const down = files.has(downName) ? sqlBody(manifest.packageName, entry.tag, downFile, readFileSync(downFile, "utf8")) : undefined;
    return { package: manifest.packageName, id: entry.tag, index, checksum: checksumSql(text), up, ...(down ? { down } : {}) };
  });
}

function sqlBody(packageName: string, id: string, file: string, text: string): MigrationBody {
  const transaction = !isNoTransaction(text);
  if (!transaction) {
    splitBreakpoints(text).forEach((chunk, i) => {
      for (const statement of splitStatements(chunk)) {
        if (!isIdempotentStatement(statement)) throw new NonIdempotentStatementError(packageName, id, file, i + 1, excerpt(statement));
      }
    });
  }
  let statements: readonly string[] | undefined;
  return {
    kind: "sql",
    file,
    get statements() {
      return (statements ??= splitBreakpoints(text));
    },
    transaction,
  };
}

function loadTypeScript(manifest: DatabaseManifest): Omit<LoadedMigration, "version">[] {
  const definitions = manifest.migrations as Exclude<DatabaseManifest["migrations"], string>;
  return definitions.map((def, index) => {
    const transaction = def.transaction ?? true;
    return {
      package: manifest.packageName,
      id: def.id,
      index,
      checksum: checksumTypeScript(def),
      up: { kind: "typescript", run: def.up, transaction },
      ...(def.down ? { down: { kind: "typescript" as const, run: def.down, transaction } } : {}),
    };
  });
}

// Version targets mean "the migrations of versions ≤ v": that is a prefix only if versions
// never go down along the migration order and unreleased migrations come last.
function checkAttributionOrder(packageName: string, attribution: VersionAttribution, migrations: readonly LoadedMigration[]): void {
  let previous: LoadedMigration | undefined;
  for (const m of migrations) {
    if (previous) {
      const before = previous.version;
      const bad = m.version !== null && (before === null || attribution.versions.indexOf(m.version) < attribution.versions.indexOf(before));
      if (bad) {
        throw new VersionAttributionError(
          packageName,
          attribution.file ?? "migrations.versions.json",
          `migration "${m.id}" is attributed to ${m.version} but comes after "${previous.id}" (${before ?? "unreleased"}); ` +
            `a version holds a prefix of the migrations: attribute "${previous.id}" to ${m.version} or earlier, or reorder the migrations`,
        );
      }
    }
    previous = m;
  }
}
