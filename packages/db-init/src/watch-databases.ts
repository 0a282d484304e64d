import { existsSync, readdirSync, readFileSync, watch, type FSWatcher } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Database } from "@ydtb/db-client";
import {
  discoverDatabases,
  findDatabasePackages,
  IGNORED_DIRECTORIES,
  manifestChanges,
  type DatabaseManifest,
  type DatabasePackage,
  type Diagnostic,
  type ManifestChanges,
  type Registry,
} from "@ydtb/db-registry";
import { InitError, InitFailedError } from "./errors.ts";
import { initDatabase } from "./init-database.ts";
import type { Phase, ReportedStep } from "./init-report.ts";
import { detectSchemaDrift, formatSchemaDrift, type SchemaDrift } from "./schema-drift.ts";
import { formatLintReport, type LintReport } from "@ydtb/db-lint";
import { lintNewMigrations } from "./lint-databases.ts";

/**
 * How long the watcher waits after the last change before it reloads.
 *
 * @example
 * watchDatabases({ db, rootDir, registry, debounceMs: DEFAULT_DEBOUNCE_MS * 2 });
 */
export const DEFAULT_DEBOUNCE_MS = 150;


/**
 * What the watcher reports, one event per outcome.
 *
 * @example
 * const onEvent = (e: WatchEvent) => {
 *   if (e.kind === "replaced") console.log(e.package, e.changes.tablesAltered);
 *   if (e.kind === "error") console.error(e.phase, e.code, e.message);
 * };
 */
export type WatchEvent =
  /** A new package's manifest was registered (and its migrations applied). */
  | { readonly kind: "registered"; readonly package: string; readonly warnings: readonly Diagnostic[] }
  /** A package's manifest was re-imported and replaced the registered one. */
  | { readonly kind: "replaced"; readonly package: string; readonly changes: ManifestChanges; readonly warnings: readonly Diagnostic[] }
  /** A package's manifest disappeared from the workspace. Its tables stay in the database. */
  | { readonly kind: "unregistered"; readonly package: string }
  /** Validation warnings of a changed package. */
  | { readonly kind: "diagnostics"; readonly package: string; readonly diagnostics: readonly Diagnostic[] }
  /** A changed package's Drizzle schema differs from its migrations (or could not be compared). */
  | { readonly kind: "drift"; readonly package: string; readonly drift: Exclude<SchemaDrift, { kind: "in-sync" | "skipped" }> }
  /** Migrations the reload applied, through the engine (lock and history). */
  | { readonly kind: "migrated"; readonly steps: readonly ReportedStep[] }
  /** Risky statements in a package's newly applied migrations (what would lock or break a rolling deploy). */
  | { readonly kind: "lint"; readonly package: string; readonly report: LintReport }
  /** A change that could not be taken: the registry and the database keep the last good state. */
  | {
      readonly kind: "error";
      readonly phase: Phase | "watch";
      readonly code: string;
      readonly message: string;
      readonly package?: string;
      readonly file?: string;
      readonly diagnostics?: readonly Diagnostic[];
    }
  /** One reload finished; `ok` is false when any part of it was refused. */
  | { readonly kind: "reloaded"; readonly ok: boolean; readonly files: readonly string[]; readonly packages: readonly string[] };

/**
 * Options of {@link watchDatabases}.
 *
 * @example
 * const options: WatchOptions = { db, rootDir: process.cwd(), registry, debounceMs: 150, onEvent: (e) => events.push(e) };
 */
export interface WatchOptions {
  readonly db: Database;
  /** The monorepo root: its package.json `workspaces` say which folders are watched. */
  readonly rootDir: string;
  /** The registry the app serves from; must be made with `mode: "development"`. */
  readonly registry: Registry;
  /** Called for every outcome, after the line is printed. A throwing listener is ignored. */
  readonly onEvent?: (event: WatchEvent) => void;
  /** Default {@link DEFAULT_DEBOUNCE_MS}. */
  readonly debounceMs?: number;
  /** Where the readable lines go. Default: `console.log`, and `console.error` for errors. */
  readonly log?: (line: string, level: "info" | "error") => void;
}

/**
 * A running watcher.
 *
 * @example
 * const watcher = watchDatabases({ db, rootDir, registry });
 * await watcher.idle(); // no reload pending
 * await watcher.close();
 */
export interface DatabaseWatcher {
  /** Stops watching; resolves once a reload under way has finished (so the database can close). */
  close(): Promise<void>;
  /** Resolves when no change is waiting and no reload is running. */
  idle(): Promise<void>;
}

/**
 * The watcher was given a registry that does not allow re-registration (code `WATCH_NEEDS_DEVELOPMENT`).
 *
 * @example
 * try { watchDatabases({ db, rootDir, registry: createRegistry() }); }
 * catch (error) { if (error instanceof WatchModeError) console.log(error.code); }
 */
export class WatchModeError extends InitError {
  constructor() {
    super(
      "WATCH_NEEDS_DEVELOPMENT",
      'watchDatabases needs a development registry: create it with createRegistry({ mode: "development" }) or initDatabase({ mode: "development" }); outside development nothing is watched',
    );
  }
}

/**
 * Development hot reload: watches the workspace package folders and, about `debounceMs`
 * after the last save, re-imports every database package's manifest with its modules evicted
 * from the module cache (a changed `schema.ts` is seen, not a cached one), then for the
 * packages that changed: validates, prints the drift between the Drizzle schema and the
 * migrations (the SQL `bun run db:generate` would write), applies new migrations through
 * `initDatabase` (the engine's lock and history), and only then re-registers them, so the
 * registry emits `replaced` / `registered`. New package folders are discovered the same way.
 *
 * Reloads run one at a time; changes that arrive during one are coalesced into the next.
 * Nothing is thrown out of the watcher: a change that fails (syntax error, validation error,
 * failing migration) is reported as an `error` event and the registry keeps the last good
 * manifests. Throws `WatchModeError` at once for a production registry.
 *
 * @example
 * const { report, registry } = await initDatabase({ db, rootDir, mode: "development" });
 * const watcher = watchDatabases({ db, rootDir, registry, onEvent: (e) => metrics.push(e) });
 * process.on("SIGINT", async () => { await watcher.close(); await db.close(); });
 */
export function watchDatabases(options: WatchOptions): DatabaseWatcher {
  if (options.registry.mode !== "development") throw new WatchModeError();
  const rootDir = resolve(options.rootDir);
  const registry = options.registry;
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const log = options.log ?? ((line, level) => (level === "error" ? console.error(line) : console.log(line)));

  const emit = (event: WatchEvent) => {
    log(formatWatchEvent(event, rootDir), event.kind === "error" ? "error" : "info");
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not stop the watcher.
    }
  };

  const unsubscribe = [
    registry.on("registered", ({ manifest, warnings }) => emit({ kind: "registered", package: manifest.packageName, warnings })),
    registry.on("replaced", ({ manifest, changes, warnings }) => emit({ kind: "replaced", package: manifest.packageName, changes, warnings })),
    registry.on("unregistered", ({ manifest }) => emit({ kind: "unregistered", package: manifest.packageName })),
  ];

  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  const schedule = (file: string) => {
    if (closed || isIgnored(rootDir, file)) return;
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      drain();
    }, debounceMs);
  };

  const drain = () => {
    if (running || timer || closed || pending.size === 0) return;
    running = (async () => {
      while (pending.size > 0 && !timer && !closed) {
        const files = [...pending].sort();
        pending.clear();
        try {
          await reload(files);
        } catch (error) {
          emit({ kind: "error", phase: "watch", code: codeOf(error), message: `the reload failed unexpectedly: ${messageOf(error)}` });
        }
      }
    })().finally(() => {
      running = undefined;
      drain();
    });
  };

  const reload = async (files: readonly string[]) => {
    let packages: DatabasePackage[];
    try {
      packages = findDatabasePackages(rootDir);
    } catch (error) {
      emit({ kind: "error", phase: "discover", code: codeOf(error), message: `reading the workspace failed: ${messageOf(error)}`, file: join(rootDir, "package.json") });
      emit({ kind: "reloaded", ok: false, files, packages: [] });
      return;
    }
    // Bun keys its module cache by path: a query string on the manifest alone would re-run
    // database.ts but keep the cached schema.ts, and a module that failed to load stays failed.
    // Evicting every module of every database package makes the next import read the disk.
    const registered = registry.list();
    const found = await discoverDatabases(rootDir, { fresh: true });

    let ok = true;
    for (const failure of found.failures) {
      ok = false;
      emit({ kind: "error", phase: "discover", code: codeOf(failure.cause, "DISCOVERY_FAILED"), message: failure.message, package: failure.packageName, file: failure.file });
    }

    const next = new Map(registered.map((m) => [m.packageName, m]));
    const changed: DatabaseManifest[] = [];
    for (const manifest of found.manifests) {
      const previous = next.get(manifest.packageName);
      const touched = manifest.packageDir !== undefined && files.some((f) => isInside(f, manifest.packageDir!));
      if (!previous || touched || differs(previous, manifest)) {
        next.set(manifest.packageName, manifest);
        changed.push(manifest);
      }
    }
    // A manifest that failed to load is still present: only a vanished file unregisters.
    const present = new Set(packages.map((p) => p.file));
    const removed = registered.filter((m) => m.source !== undefined && !present.has(m.source) && !found.manifests.some((f) => f.packageName === m.packageName));
    for (const m of removed) next.delete(m.packageName);

    if (changed.length === 0 && removed.length === 0) {
      if (!ok) emit({ kind: "reloaded", ok, files, packages: [] });
      return;
    }

    for (const manifest of changed) {
      const drift = await detectSchemaDrift(manifest, { rootDir });
      if (drift.kind !== "in-sync" && drift.kind !== "skipped") emit({ kind: "drift", package: manifest.packageName, drift });
    }

    const names = changed.map((m) => m.packageName);
    try {
      const { report } = await initDatabase({ db: options.db, manifests: [...next.values()], mode: "development" });
      const steps = report.steps.filter((s) => s.status === "applied");
      if (steps.length > 0) emit({ kind: "migrated", steps });
      for (const manifest of [...next.values()]) {
        const ids = steps.filter((st) => st.package === manifest.packageName && st.direction === "up").map((st) => st.id);
        if (ids.length === 0) continue;
        const lint = await lintNewMigrations(manifest, ids, rootDir);
        if (lint.findings.length > 0) emit({ kind: "lint", package: manifest.packageName, report: lint });
      }
      for (const name of names) {
        const diagnostics = report.warnings.filter((d) => d.package === name);
        if (diagnostics.length > 0) emit({ kind: "diagnostics", package: name, diagnostics });
      }
    } catch (error) {
      if (!(error instanceof InitFailedError)) throw error;
      const report = error.report;
      const cause = error.cause as { packageName?: unknown; file?: unknown } | undefined;
      const culprit = report.errors[0]?.package ?? report.steps.find((s) => s.status === "failed")?.package ?? (typeof cause?.packageName === "string" ? cause.packageName : undefined);
      emit({
        kind: "error",
        phase: report.failedPhase ?? "migrate",
        code: report.error?.code ?? error.code,
        message: `${error.message.replace(/\.?\s*$/, ".")} The app keeps serving the last good state.`,
        ...(culprit ? { package: culprit } : {}),
        ...(typeof cause?.file === "string" ? { file: cause.file } : {}),
        ...(report.errors.length > 0 ? { diagnostics: report.errors } : {}),
      });
      emit({ kind: "reloaded", ok: false, files, packages: names });
      return;
    }

    // The database took the change: now the registry may.
    for (const m of removed) registry.unregisterDatabase(m.packageName);
    for (const manifest of changed) {
      try {
        registry.registerDatabase(manifest);
      } catch (error) {
        ok = false;
        emit({ kind: "error", phase: "register", code: codeOf(error), message: messageOf(error), package: manifest.packageName });
      }
    }
    emit({ kind: "reloaded", ok, files, packages: [...names, ...removed.map((m) => m.packageName)] });
  };

  const watchers: FSWatcher[] = [];
  for (const target of watchTargets(rootDir)) {
    try {
      const watcher = watch(target.dir, { recursive: target.recursive }, (_event, name) => {
        schedule(name ? join(target.dir, String(name)) : target.dir);
      });
      watcher.on("error", (error) => emit({ kind: "error", phase: "watch", code: codeOf(error), message: `watching "${target.dir}" failed: ${messageOf(error)}` }));
      watchers.push(watcher);
    } catch (error) {
      emit({ kind: "error", phase: "watch", code: codeOf(error), message: `cannot watch "${target.dir}": ${messageOf(error)}` });
    }
  }
  log(`ydtb-db watch: watching ${watchers.length} folder${watchers.length === 1 ? "" : "s"} for schema, migration and package changes`, "info");

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      for (const w of watchers) w.close();
      for (const off of unsubscribe) off();
      await running;
    },
    async idle() {
      while (!closed && (timer || running || pending.size > 0)) {
        await (running ?? new Promise((r) => setTimeout(r, debounceMs)));
      }
    },
  };
}

/**
 * Formats a watch event as the line the watcher prints.
 *
 * @example
 * formatWatchEvent({ kind: "unregistered", package: "@ydtb/old" }, rootDir) // "ydtb-db watch: unregistered @ydtb/old …"
 */
export function formatWatchEvent(event: WatchEvent, rootDir: string): string {
  const p = "ydtb-db watch:";
  const diagnostic = (d: Diagnostic) =>
    `    ${d.severity} [${d.rule}] ${d.package}${d.table ? ` ${d.table}${d.column ? `.${d.column}` : ""}` : ""}: ${d.message}${d.suggestion ? `\n      fix: ${d.suggestion}` : ""}`;
  switch (event.kind) {
    case "registered":
      return `${p} registered ${event.package}`;
    case "replaced": {
      const c = event.changes;
      const parts = [
        c.tablesAdded.length ? `tables added: ${c.tablesAdded.join(", ")}` : "",
        c.tablesRemoved.length ? `tables removed: ${c.tablesRemoved.join(", ")}` : "",
        c.tablesAltered.length ? `tables altered: ${c.tablesAltered.join(", ")}` : "",
        c.versionChanged ? "version changed" : "",
      ].filter(Boolean);
      return `${p} replaced ${event.package} (${parts.length ? parts.join("; ") : "no table changes"})`;
    }
    case "unregistered":
      return `${p} unregistered ${event.package} (its manifest is gone; its tables stay in the database)`;
    case "diagnostics":
      return [`${p} diagnostics ${event.package}: ${event.diagnostics.length} warning${event.diagnostics.length === 1 ? "" : "s"}`, ...event.diagnostics.map(diagnostic)].join("\n");
    case "drift":
      return `${p} drift ${formatSchemaDrift(event.drift)}`;
    case "migrated":
      return [`${p} migrated ${event.steps.length} step${event.steps.length === 1 ? "" : "s"}`, ...event.steps.map((s) => `    applied ${s.direction} ${s.package} ${s.id}`)].join("\n");
    case "lint":
      return `${p} lint ${event.package}: the new migrations would lock or break a rolling deploy\n${formatLintReport(event.report).replace(/^/gm, "    ")}`;
    case "error":
      return [
        `${p} error [${event.code}] ${event.phase}${event.package ? ` ${event.package}` : ""}${event.file ? ` (${relative(rootDir, event.file)})` : ""}: ${event.message}`,
        ...(event.diagnostics ?? []).map(diagnostic),
      ].join("\n");
    case "reloaded":
      return `${p} reloaded${event.ok ? "" : " with errors (last good state kept)"}: ${event.packages.length ? event.packages.join(", ") : "no package changed"}`;
  }
}

function watchTargets(rootDir: string): { dir: string; recursive: boolean }[] {
  const targets = new Map<string, boolean>();
  let globs: unknown[] = [];
  try {
    const ws = (JSON.parse(readFileSync(join(rootDir, "package.json"), "utf8")) as { workspaces?: unknown }).workspaces;
    globs = Array.isArray(ws) ? ws : Array.isArray((ws as { packages?: unknown })?.packages) ? (ws as { packages: unknown[] }).packages : [];
  } catch {
    // An unreadable root package.json leaves only the package folders discovered so far.
  }
  for (const pattern of globs) {
    if (typeof pattern !== "string" || pattern.startsWith("!")) continue;
    const fixed = pattern.split("/").findIndex((part) => /[*?[{]/.test(part));
    const base = resolve(rootDir, fixed === -1 ? pattern : pattern.split("/").slice(0, fixed).join("/"));
    // Watching the root recursively would watch node_modules: watch it flat, packages below.
    if (base !== rootDir && existsSync(base)) targets.set(base, true);
  }
  const covered = (dir: string) => [...targets.keys()].some((t) => isInside(dir, t));
  let packages: DatabasePackage[] = [];
  try {
    packages = findDatabasePackages(rootDir);
  } catch {
    // As above.
  }
  for (const pkg of packages) if (!covered(pkg.dir)) targets.set(pkg.dir, true);
  if (globs.some((g) => typeof g === "string" && resolve(rootDir, dirname(g)) === rootDir)) targets.set(rootDir, false);
  return [...targets].map(([dir, recursive]) => ({ dir, recursive }));
}

function isInside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function isIgnored(rootDir: string, file: string): boolean {
  return relative(rootDir, file)
    .split(sep)
    .some((part) => IGNORED_DIRECTORIES.includes(part));
}

function differs(previous: DatabaseManifest, next: DatabaseManifest): boolean {
  const c = manifestChanges(previous, next);
  return c.versionChanged || c.tablesAdded.length > 0 || c.tablesRemoved.length > 0 || c.tablesAltered.length > 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown, fallback = "UNEXPECTED"): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : fallback;
}
