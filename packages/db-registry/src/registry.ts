import { EventEmitter } from "node:events";
import { getTableConfig } from "drizzle-orm/pg-core";
import type { Diagnostic, ExemptedDiagnostic, ValidationOutcome } from "./diagnostic.ts";
import { defineDatabase, isDatabaseManifest } from "./define-database.ts";
import { DuplicatePackageError, NotAManifestError, SchemaValidationError, TableConflictError, ToolConflictError } from "./errors.ts";
import type { DatabaseManifest, DatabaseManifestInput } from "./manifest.ts";
import { tableName } from "./schema-entities.ts";
import { compareNames } from "./compare-names.ts";

/** Validates a manifest about to be registered, seeing what is registered already. */
export type ManifestValidator = (manifest: DatabaseManifest, registered: readonly DatabaseManifest[]) => ValidationOutcome;

/** Options of {@link createRegistry}. */
export interface RegistryOptions {
  /**
   * `"development"` lets a package re-register (from the same source file), replacing its
   * manifest and emitting `replaced`. Default {@link DEFAULT_REGISTRY_MODE}: a taken name is an error.
   */
  readonly mode?: "development" | "production";
  /** Run on every registration; errors refuse it. `@ydtb/db-validate` provides one. */
  readonly validate?: ManifestValidator;
}

/** Default registry mode. */
export const DEFAULT_REGISTRY_MODE = "production";

/** What changed between two manifests of one package. */
export interface ManifestChanges {
  readonly tablesAdded: readonly string[];
  readonly tablesRemoved: readonly string[];
  /** Tables whose columns, indexes or constraints differ. */
  readonly tablesAltered: readonly string[];
  readonly versionChanged: boolean;
}

/** Events a registry emits. */
export interface RegistryEvents {
  registered: { readonly manifest: DatabaseManifest; readonly warnings: readonly Diagnostic[] };
  unregistered: { readonly manifest: DatabaseManifest };
  replaced: { readonly previous: DatabaseManifest; readonly manifest: DatabaseManifest; readonly changes: ManifestChanges; readonly warnings: readonly Diagnostic[] };
}

/** What `registerDatabase` returns. */
export interface Registration {
  readonly manifest: DatabaseManifest;
  /** Warnings of the validator (errors would have thrown). */
  readonly warnings: readonly Diagnostic[];
  /** Diagnostics silenced by the manifest's exemptions, with their reasons. */
  readonly exempted: readonly ExemptedDiagnostic[];
  /** The manifest this one replaced (development mode only). */
  readonly replaced?: DatabaseManifest;
}

/** Holds every package's manifest. Create one with {@link createRegistry}. */
export interface Registry {
  readonly mode: "development" | "production";
  /**
   * Validates and adds a manifest: the result of `defineDatabase()`, or a plain object that is
   * checked as `defineDatabase()` input first. Throws `NotAManifestError` (not an object),
   * `ManifestError` (bad input), `DuplicatePackageError`, `TableConflictError`,
   * `ToolConflictError` or `SchemaValidationError` — nothing registered in each case.
   *
   * @example
   * registry.registerDatabase({ packageName: "@ydtb/notes", version: "1.0.0", schema, migrations: [m1, m2], dependencies: [] });
   */
  registerDatabase(manifest: DatabaseManifest | DatabaseManifestInput): Registration;
  /** Removes a package; returns false when it was not registered. */
  unregisterDatabase(packageName: string): boolean;
  get(packageName: string): DatabaseManifest | undefined;
  has(packageName: string): boolean;
  /** Every manifest, sorted by package name. */
  list(): readonly DatabaseManifest[];
  /** The package that owns a table (SQL name), if any. */
  ownerOf(table: string): string | undefined;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends keyof RegistryEvents>(event: E, listener: (payload: RegistryEvents[E]) => void): () => void;
}

/**
 * Creates an empty registry.
 *
 * @example
 * const registry = createRegistry({ validate: validateManifest });
 * registry.on("registered", ({ manifest }) => console.log(manifest.packageName));
 * registry.registerDatabase(notesManifest);
 */
export function createRegistry(options: RegistryOptions = {}): Registry {
  const mode = options.mode ?? DEFAULT_REGISTRY_MODE;
  const manifests = new Map<string, DatabaseManifest>();
  const owners = new Map<string, string>();
  const toolOwners = new Map<string, string>();
  const events = new EventEmitter();

  const forget = (manifest: DatabaseManifest) => {
    for (const table of manifest.tables.map(tableName)) owners.delete(table);
    for (const tool of manifest.tools) toolOwners.delete(tool.id);
  };
  const describe = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value);
  const toManifest = (value: unknown): DatabaseManifest => {
    if (isDatabaseManifest(value)) return value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new NotAManifestError(describe(value));
    return defineDatabase(value as DatabaseManifestInput);
  };

  return {
    mode,
    registerDatabase(input) {
      const manifest = toManifest(input);
      const previous = manifests.get(manifest.packageName);
      if (previous) {
        const sameSource = mode === "development" && (!previous.source || !manifest.source || previous.source === manifest.source);
        if (!sameSource) throw new DuplicatePackageError(manifest.packageName, previous.source, manifest.source);
      }
      for (const table of manifest.tables.map(tableName)) {
        const owner = owners.get(table);
        if (owner && owner !== manifest.packageName) throw new TableConflictError(table, owner, manifest.packageName);
      }
      for (const tool of manifest.tools) {
        const owner = toolOwners.get(tool.id);
        if (owner && owner !== manifest.packageName) throw new ToolConflictError(tool.id, owner, manifest.packageName);
      }
      const others = [...manifests.values()].filter((m) => m.packageName !== manifest.packageName);
      const outcome = options.validate?.(manifest, others) ?? { diagnostics: [], exempted: [] };
      if (outcome.diagnostics.some((d) => d.severity === "error")) {
        throw new SchemaValidationError(manifest.packageName, outcome.diagnostics);
      }
      if (previous) forget(previous);
      for (const table of manifest.tables.map(tableName)) owners.set(table, manifest.packageName);
      for (const tool of manifest.tools) toolOwners.set(tool.id, manifest.packageName);
      manifests.set(manifest.packageName, manifest);
      const warnings = outcome.diagnostics;
      if (previous) events.emit("replaced", { previous, manifest, changes: manifestChanges(previous, manifest), warnings });
      else events.emit("registered", { manifest, warnings });
      return { manifest, warnings, exempted: outcome.exempted, ...(previous ? { replaced: previous } : {}) };
    },
    unregisterDatabase(packageName) {
      const manifest = manifests.get(packageName);
      if (!manifest) return false;
      manifests.delete(packageName);
      forget(manifest);
      events.emit("unregistered", { manifest });
      return true;
    },
    get: (name) => manifests.get(name),
    has: (name) => manifests.has(name),
    list: () => [...manifests.values()].sort((a, b) => compareNames(a.packageName, b.packageName)),
    ownerOf: (table) => owners.get(table),
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
  };
}

/** Compares two manifests of one package, table by table. */
export function manifestChanges(previous: DatabaseManifest, next: DatabaseManifest): ManifestChanges {
  const shape = (m: DatabaseManifest) => new Map(m.tables.map((t) => [tableName(t), tableShape(t)]));
  const before = shape(previous);
  const after = shape(next);
  return {
    tablesAdded: [...after.keys()].filter((t) => !before.has(t)).sort(),
    tablesRemoved: [...before.keys()].filter((t) => !after.has(t)).sort(),
    tablesAltered: [...after.keys()].filter((t) => before.has(t) && before.get(t) !== after.get(t)).sort(),
    versionChanged: previous.version !== next.version,
  };
}

function tableShape(table: DatabaseManifest["tables"][number]): string {
  const c = getTableConfig(table);
  return JSON.stringify({
    columns: c.columns.map((col) => [col.name, col.getSQLType(), col.notNull, col.primary, col.hasDefault, col.isUnique]),
    indexes: c.indexes.map((i) => [i.config.name, i.config.unique, i.config.columns.map((x) => ("name" in x ? x.name : "expr"))]),
    foreignKeys: c.foreignKeys.map((fk) => {
      const r = fk.reference();
      return [fk.getName(), r.columns.map((x) => x.name), r.foreignColumns.map((x) => x.name), fk.onDelete, fk.onUpdate];
    }),
    primaryKeys: c.primaryKeys.map((p) => [p.getName(), p.columns.map((x) => x.name)]),
    uniques: c.uniqueConstraints.map((u) => [u.getName(), u.columns.map((x) => x.name)]),
    checks: c.checks.map((ch) => ch.name),
  });
}
