import { relative } from "node:path";
import type { DatabaseManifest } from "@ydtb/db-registry";
import type { Database } from "@ydtb/db-client";
import { loadPackageMigrations, migrationStatus, type LoadedMigration } from "@ydtb/db-migrate";
import { DEFAULT_STRICT, lintMigrations, lintReleases, type LintMigration, type LintReport, type LintScope, type ReleasedMigration } from "@ydtb/db-lint";

/** Options of {@link lintDatabases}. */
export interface LintDatabasesOptions {
  /** `unreleased` (default): migrations no release holds yet; `all`: every release, each as its own plan. */
  readonly scope?: LintScope;
  readonly strict?: boolean;
  /** Findings name files relative to this folder (the monorepo root); absolute without it. */
  readonly rootDir?: string;
}

/**
 * Lints the SQL migrations of the given packages release by release (`ydtb-db lint`,
 * `ydtb-db validate`). Throws the engine's load errors as they are.
 *
 * @example
 * const report = await lintDatabases(manifests, { scope: "all", strict: true });
 */
export async function lintDatabases(manifests: readonly DatabaseManifest[], options: LintDatabasesOptions = {}): Promise<LintReport> {
  const packages = manifests.map((manifest) => ({
    package: manifest.packageName,
    migrations: loadPackageMigrations(manifest).migrations.flatMap((m) => {
      const migration = asLintMigration(m, options.rootDir);
      return migration ? [{ ...migration, version: m.version } satisfies ReleasedMigration] : [];
    }),
  }));
  return lintReleases(packages, options);
}

/**
 * Lints migrations about to be applied as one plan, the package's earlier ones as history
 * (the development watcher, on a new migration file).
 *
 * @example
 * const report = await lintNewMigrations(manifest, ["0003_archive"]);
 */
export async function lintNewMigrations(manifest: DatabaseManifest, ids: readonly string[], rootDir?: string, strict?: boolean): Promise<LintReport> {
  const all = loadPackageMigrations(manifest).migrations;
  const first = all.findIndex((m) => ids.includes(m.id));
  const lintable = (list: readonly LoadedMigration[]) => list.flatMap((m) => asLintMigration(m, rootDir) ?? []);
  const options = strict === undefined ? {} : { strict };
  if (first < 0) return lintMigrations([], options);
  return lintMigrations(lintable(all.slice(first).filter((m) => ids.includes(m.id))), { ...options, history: lintable(all.slice(0, first)) });
}

/**
 * Lints what `migrate` would run on this database: each package's pending migrations as one
 * plan, its applied ones as history (`ydtb-db lint --pending`). Read-only.
 *
 * @example
 * const report = await lintPending(db, manifests, { strict: true });
 */
export async function lintPending(db: Database, manifests: readonly DatabaseManifest[], options: Omit<LintDatabasesOptions, "scope"> = {}): Promise<LintReport> {
  const status = await migrationStatus(db, manifests);
  const reports: LintReport[] = [];
  for (const manifest of manifests) {
    const pending = status.find((s) => s.package === manifest.packageName)?.pending ?? [];
    if (pending.length > 0) reports.push(await lintNewMigrations(manifest, pending, options.rootDir, options.strict));
  }
  return {
    ok: reports.every((r) => r.ok),
    strict: options.strict ?? DEFAULT_STRICT,
    findings: reports.flatMap((r) => r.findings),
    exempted: reports.flatMap((r) => r.exempted),
    linted: reports.reduce((n, r) => n + r.linted, 0),
  };
}

// TypeScript migrations have no SQL to read: they are not linted.
function asLintMigration(m: LoadedMigration, rootDir: string | undefined): LintMigration | undefined {
  if (m.up.kind !== "sql") return undefined;
  return { package: m.package, id: m.id, file: rootDir ? relative(rootDir, m.up.file) : m.up.file, sql: m.up.text, transaction: m.up.transaction };
}
