import type { Database } from "@ydtb/db-client";
import { discoverDatabases, manifestChanges, type DatabaseManifest, type Registry } from "@ydtb/db-registry";
import { errorCauses } from "../cli/describe-error.ts";
import { InitFailedError } from "../errors.ts";
import { initDatabase } from "../init-database.ts";
import { lintNewMigrations } from "../lint-databases.ts";
import { detectSchemaDrift } from "../schema-drift.ts";
import type { WatchEvent } from "./watch-event.ts";
import { isInside } from "./watch-targets.ts";

/** What one reload works on. */
export interface ReloadContext {
  readonly db: Database;
  readonly rootDir: string;
  readonly registry: Registry;
  readonly emit: (event: WatchEvent) => void;
}

const codeOf = (error: unknown, fallback = "UNEXPECTED") => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : fallback;
};

function differs(previous: DatabaseManifest, next: DatabaseManifest): boolean {
  const c = manifestChanges(previous, next);
  return c.versionChanged || c.tablesAdded.length > 0 || c.tablesRemoved.length > 0 || c.tablesAltered.length > 0;
}

/**
 * One reload after `files` changed: one workspace scan re-imports every manifest afresh
 * (modules evicted, so an edited schema.ts is read); the packages that changed are checked for
 * drift, the whole set goes through `initDatabase` (validation, extensions, migrations under the
 * lock), and only when the database took it are they re-registered. Every outcome is an event;
 * nothing is thrown for a refused change, and the registry keeps the last good manifests.
 *
 * @example
 * await reloadDatabases({ db, rootDir, registry, emit: console.log }, ["/repo/packages/x/src/schema.ts"]);
 */
export async function reloadDatabases(ctx: ReloadContext, files: readonly string[]): Promise<void> {
  const { registry, emit } = ctx;
  const registered = registry.list();
  let found;
  try {
    found = await discoverDatabases(ctx.rootDir, { fresh: true });
  } catch (error) {
    // The workspace itself is unreadable (root package.json): report it, keep serving.
    emit({ kind: "error", phase: "discover", code: codeOf(error), message: `reading the workspace failed: ${(error as Error).message}`, causes: errorCauses(error) });
    emit({ kind: "reloaded", ok: false, files, packages: [] });
    return;
  }

  let ok = true;
  for (const failure of found.failures) {
    ok = false;
    emit({ kind: "error", phase: "discover", code: codeOf(failure.cause, "DISCOVERY_FAILED"), message: failure.message, package: failure.packageName, file: failure.file, causes: errorCauses(failure.cause) });
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
  const present = new Set(found.packages.map((p) => p.file));
  const removed = registered.filter((m) => m.source !== undefined && !present.has(m.source) && !found.manifests.some((f) => f.packageName === m.packageName));
  for (const m of removed) next.delete(m.packageName);

  if (changed.length === 0 && removed.length === 0) {
    if (!ok) emit({ kind: "reloaded", ok, files, packages: [] });
    return;
  }

  for (const manifest of changed) {
    const drift = await detectSchemaDrift(manifest, { rootDir: ctx.rootDir });
    if (drift.kind !== "in-sync" && drift.kind !== "skipped") emit({ kind: "drift", package: manifest.packageName, drift });
  }

  const names = changed.map((m) => m.packageName);
  try {
    const { report } = await initDatabase({ db: ctx.db, manifests: [...next.values()], mode: "development" });
    const steps = report.steps.filter((s) => s.status === "applied");
    if (steps.length > 0) emit({ kind: "migrated", steps });
    for (const manifest of next.values()) {
      const ids = steps.filter((st) => st.package === manifest.packageName && st.direction === "up").map((st) => st.id);
      if (ids.length === 0) continue;
      const lint = await lintNewMigrations(manifest, ids, ctx.rootDir);
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
      causes: errorCauses(error.cause),
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
      // Refused by the registry (a name or table taken meanwhile): reported; the others stand.
      ok = false;
      emit({ kind: "error", phase: "register", code: codeOf(error), message: (error as Error).message, package: manifest.packageName, causes: errorCauses(error) });
    }
  }
  emit({ kind: "reloaded", ok, files, packages: [...names, ...removed.map((m) => m.packageName)] });
}
