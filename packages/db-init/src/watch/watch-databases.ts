import { watch, type FSWatcher } from "node:fs";
import { join, resolve } from "node:path";
import type { Database } from "@ydtb/db-client";
import type { Registry } from "@ydtb/db-registry";
import { errorCauses } from "../cli/describe-error.ts";
import { InitError } from "../errors.ts";
import { debounceQueue } from "./debounce-queue.ts";
import { reloadDatabases } from "./reload-databases.ts";
import { formatWatchEvent, type WatchEvent } from "./watch-event.ts";
import { isIgnored, watchTargets } from "./watch-targets.ts";

/**
 * How long the watcher waits after the last change before it reloads.
 *
 * @example
 * watchDatabases({ db, rootDir, registry, debounceMs: DEFAULT_DEBOUNCE_MS * 2 });
 */
export const DEFAULT_DEBOUNCE_MS = 150;

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
  const log = options.log ?? ((line, level) => (level === "error" ? console.error(line) : console.log(line)));

  const emit = (event: WatchEvent) => {
    log(formatWatchEvent(event, rootDir), event.kind === "error" ? "error" : "info");
    try {
      options.onEvent?.(event);
    } catch (error) {
      // A listener's failure must not stop the watcher: it is printed, not thrown.
      log(`ydtb-db watch: an onEvent listener threw: ${(error as Error)?.stack ?? String(error)}`, "error");
    }
  };
  const unexpected = (phase: "watch", message: string, error: unknown) =>
    emit({ kind: "error", phase, code: codeOf(error), message: `${message}: ${(error as Error)?.message ?? String(error)}`, causes: errorCauses(error) });

  const unsubscribe = [
    registry.on("registered", ({ manifest, warnings }) => emit({ kind: "registered", package: manifest.packageName, warnings })),
    registry.on("replaced", ({ manifest, changes, warnings }) => emit({ kind: "replaced", package: manifest.packageName, changes, warnings })),
    registry.on("unregistered", ({ manifest }) => emit({ kind: "unregistered", package: manifest.packageName })),
  ];

  const queue = debounceQueue({
    delayMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    run: (files) => reloadDatabases({ db: options.db, rootDir, registry, emit }, files),
    onCrash: (error) => unexpected("watch", "the reload failed unexpectedly", error),
  });

  const watchers: FSWatcher[] = [];
  for (const target of watchTargets(rootDir, (message, error) => unexpected("watch", message, error))) {
    try {
      const watcher = watch(target.dir, { recursive: target.recursive }, (_event, name) => {
        const file = name ? join(target.dir, String(name)) : target.dir;
        if (!isIgnored(rootDir, file)) queue.add(file);
      });
      watcher.on("error", (error) => unexpected("watch", `watching "${target.dir}" failed`, error));
      watchers.push(watcher);
    } catch (error) {
      // A folder that cannot be watched is reported; the others still are.
      unexpected("watch", `cannot watch "${target.dir}"`, error);
    }
  }
  log(`ydtb-db watch: watching ${watchers.length} folder${watchers.length === 1 ? "" : "s"} for schema, migration and package changes`, "info");

  return {
    async close() {
      for (const w of watchers) w.close();
      for (const off of unsubscribe) off();
      await queue.close();
    },
    idle: () => queue.idle(),
  };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "UNEXPECTED";
}
