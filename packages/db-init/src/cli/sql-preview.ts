import type { DatabaseManifest } from "@ydtb/db-registry";
import { loadMigrations, STATEMENT_BREAKPOINT, type LoadedMigration } from "@ydtb/db-migrate";
import semver from "semver";
import { UsageError } from "../errors.ts";
import { parseTarget } from "../parse-command.ts";

/** One migration's SQL as `ydtb-db sql` prints it. */
export interface SqlPreviewEntry {
  readonly id: string;
  readonly version: string | null;
  readonly transaction: boolean;
  /** The file the SQL is read from; absent for a TypeScript migration. */
  readonly file?: string;
  /** Statements in order; empty for a TypeScript migration (its `up(db)`/`down(db)` runs code). */
  readonly statements: readonly string[];
  readonly typescript: boolean;
}

/** What `ydtb-db sql` prints. */
export interface SqlPreview {
  readonly package: string;
  readonly direction: "up" | "down";
  readonly migrations: readonly SqlPreviewEntry[];
}

/**
 * The SQL a plan would run for one package, without a database: `pkg` → every up in order
 * (a fresh database); `pkg@version` → the ups released up to that version (`migrate --to`), or
 * with `down` the downs of the later ones, newest first (`rollback --to` from the latest);
 * `pkg id` → that one migration.
 *
 * @example
 * sqlPreview(manifests, "@ydtb/basic@1.0.0", undefined, "down").migrations.map((m) => m.id) // ["0001_pinned"]
 */
export function sqlPreview(manifests: readonly DatabaseManifest[], spec: string, id: string | undefined, direction: "up" | "down"): SqlPreview {
  const hasVersion = spec.lastIndexOf("@") > 0;
  const target = hasVersion ? parseTarget(spec) : { package: spec, version: undefined };
  const manifest = manifests.find((m) => m.packageName === target.package);
  if (!manifest) throw new UsageError(`sql: no registered package "${target.package}"; registered: ${manifests.map((m) => m.packageName).join(", ")}`);
  const [pkg] = loadMigrations([manifest]);
  const all = pkg!.migrations;
  const released = (m: LoadedMigration) => target.version !== undefined && (m.version === null ? semver.gte(target.version, pkg!.version) : semver.lte(m.version, target.version));
  let chosen: readonly LoadedMigration[];
  if (id !== undefined) {
    const one = all.find((m) => m.id === id);
    if (!one) throw new UsageError(`sql: "${target.package}" has no migration "${id}"; its migrations: ${all.map((m) => m.id).join(", ") || "none"}`);
    chosen = [one];
  } else if (target.version === undefined) {
    chosen = direction === "up" ? all : [...all].reverse();
  } else {
    chosen = direction === "up" ? all.filter(released) : all.filter((m) => !released(m)).reverse();
  }
  return {
    package: target.package,
    direction,
    migrations: chosen.map((m) => entryOf(m, direction, target.package)),
  };
}

/**
 * The SQL of a plan's steps, in the order they run, grouped into runs of one package and
 * direction (what `plan --sql` prints).
 *
 * @example
 * planSql(manifests, plan.steps).map((p) => `${p.direction} ${p.package}`)
 */
export function planSql(manifests: readonly DatabaseManifest[], steps: readonly { readonly package: string; readonly id: string; readonly direction: "up" | "down" }[]): SqlPreview[] {
  const loaded = loadMigrations(manifests);
  const out: { package: string; direction: "up" | "down"; migrations: SqlPreviewEntry[] }[] = [];
  for (const step of steps) {
    const m = loaded.find((p) => p.packageName === step.package)?.migrations.find((x) => x.id === step.id);
    if (!m) continue; // a plan only names migrations it loaded from these manifests
    let last = out[out.length - 1];
    if (!last || last.package !== step.package || last.direction !== step.direction) out.push((last = { package: step.package, direction: step.direction, migrations: [] }));
    last.migrations.push(entryOf(m, step.direction, step.package));
  }
  return out;
}

function entryOf(m: LoadedMigration, direction: "up" | "down", pkg: string): SqlPreviewEntry {
  const body = direction === "up" ? m.up : m.down;
  if (!body) throw new UsageError(`sql: "${pkg}" ${m.id} has no down (no ${m.id}.down.sql beside it): it cannot be rolled back`);
  return body.kind === "sql"
    ? { id: m.id, version: m.version, transaction: body.transaction, file: body.file, statements: chunks(body.text), typescript: false }
    : { id: m.id, version: m.version, transaction: body.transaction, statements: [], typescript: true };
}

/** The file's chunks between `--> statement-breakpoint` markers, as drizzle-kit wrote them. */
const chunks = (text: string) =>
  text
    .split(STATEMENT_BREAKPOINT)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);

/** The preview as SQL text: a comment line per migration, then its statements. */
export function formatSqlPreview(preview: SqlPreview): string {
  if (preview.migrations.length === 0) return `-- ${preview.package}: no migration to run ${preview.direction}`;
  return preview.migrations
    .map((m) => {
      const head = `-- ${preview.package} ${m.id} (${m.version ?? "unreleased"}) ${preview.direction}${m.transaction ? "" : " — outside a transaction"}${m.file ? ` — ${m.file}` : ""}`;
      if (m.typescript) return `${head}\n-- TypeScript migration: its ${preview.direction}(db) function runs; there is no SQL text to show`;
      return [head, ...m.statements.map((s) => (s.trimEnd().endsWith(";") ? s.trimEnd() : `${s.trimEnd()};`))].join("\n");
    })
    .join("\n\n");
}
