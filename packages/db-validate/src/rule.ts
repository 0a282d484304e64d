import { CORE_PACKAGE, isGlobalTable, type DatabaseManifest, type Diagnostic, type EntryRef, type Severity, type SuggestedFix } from "@ydtb/db-registry";
import type { Index, PgTable } from "drizzle-orm/pg-core";
import { toCamelCase } from "./naming.ts";
import { describeTable, indexColumnNames, type TableInfo } from "./table-info.ts";

/**
 * A table and the manifest that declares it.
 *
 * @example
 * const owner = ctx.resolve("ydtb_workspaces"); // { manifest: coreDatabase, info: … }
 */
export interface Owner {
  readonly manifest: DatabaseManifest;
  readonly info: TableInfo;
}

/**
 * What a rule reports; the runner adds `rule`, `severity` and `package`.
 *
 * @example
 * report({ table: "ydtb_notes_items", column: "title", message: "…", suggestion: 'title: text("title")' });
 */
export interface Finding {
  /** SQL table name (schema-qualified outside `public`). */
  readonly table?: string;
  /** SQL column name. */
  readonly column?: string;
  /** SQL name of the constraint at fault. */
  readonly constraint?: string;
  /** SQL name of the index at fault. */
  readonly index?: string;
  readonly message: string;
  /** Drizzle code to write, where one fits; rendered from `fixes` when left out. */
  readonly suggestion?: string;
  /** The fix as edits of the schema source (one per choice), see {@link SuggestedFix}. */
  readonly fixes?: readonly SuggestedFix[];
}

/**
 * Pushes one finding of the running rule.
 *
 * @example
 * check(ctx, report) { report({ table: "ydtb_x", message: "…" }); }
 */
export type Report = (finding: Finding) => void;

/**
 * What every rule sees: the manifest under validation and the tables of every package.
 *
 * @example
 * for (const t of ctx.tables) for (const fk of t.config.foreignKeys) ctx.resolve(fk.reference().foreignTable);
 */
export interface RuleContext {
  readonly manifest: DatabaseManifest;
  readonly packageName: string;
  /** True when the manifest is the root package `@ydtb/core`. */
  readonly isCore: boolean;
  /** The manifest's tables, each once, in export order. */
  readonly tables: readonly TableInfo[];
  /** Every manifest (this one included) that declares a table of this SQL name. */
  owners(name: string): readonly Owner[];
  /** The table a foreign key of this package points at: its own first, then the others'. */
  resolve(table: PgTable | string): Owner | undefined;
  /** False for a table its manifest declares global (`globalTables`), true for every other table. */
  isWorkspaceScoped(owner: Owner): boolean;
  /** The name a table is exported under in its package's schema, for suggested code. */
  variableOf(owner: Owner): string;
  /** The TypeScript key of a column, for suggested code (`workspace_id` → `workspaceId`). */
  keyOf(info: TableInfo, column: string): string;
  /** Every manifest validated together (this one included), for names shared between packages. */
  readonly manifests: readonly DatabaseManifest[];
  /** What the rules before this one reported (the exemption check reads it). */
  readonly diagnostics: readonly Diagnostic[];
  /** The names of every rule, for messages. */
  readonly ruleNames: readonly string[];
}

/**
 * A validation rule: a small named function that reports findings about a manifest.
 *
 * @example
 * const tablePrefix: Rule = {
 *   name: "table-prefix", severity: "error", description: "Every table is named ydtb_…",
 *   check(ctx, report) { for (const t of ctx.tables) if (!t.baseName.startsWith("ydtb_")) report({ table: t.name, message: "…" }); },
 * };
 */
export interface Rule {
  /** Kebab-case; what a diagnostic's `rule` and an exemption's `rule` hold. */
  readonly name: string;
  readonly severity: Severity;
  /** One line: what the rule requires and why. */
  readonly description: string;
  check(ctx: RuleContext, report: Report): void;
}

/**
 * Every table of a set of manifests, by SQL name. Build it once per validation.
 *
 * @example
 * const index: TableIndex = buildTableIndex([coreDatabase, notesManifest]);
 */
export type TableIndex = ReadonlyMap<string, readonly Owner[]>;

/**
 * Indexes the tables of `manifests` by SQL name (a table exported twice counts once).
 *
 * @example
 * buildTableIndex([core, basic]).get("ydtb_workspaces")?.[0]?.manifest.packageName; // "@ydtb/core"
 */
export function buildTableIndex(manifests: readonly DatabaseManifest[]): TableIndex {
  const index = new Map<string, Owner[]>();
  indexedManifests.set(index, manifests);
  for (const manifest of manifests) {
    for (const info of manifestTables(manifest)) {
      const owners = index.get(info.name);
      if (owners) owners.push({ manifest, info });
      else index.set(info.name, [{ manifest, info }]);
    }
  }
  return index;
}

const indexedManifests = new WeakMap<TableIndex, readonly DatabaseManifest[]>();

const tablesCache = new WeakMap<DatabaseManifest, readonly TableInfo[]>();

/**
 * A manifest's tables, described, each table object once.
 *
 * @example
 * manifestTables(coreDatabase).map((t) => t.name); // ["ydtb_users", …]
 */
export function manifestTables(manifest: DatabaseManifest): readonly TableInfo[] {
  const cached = tablesCache.get(manifest);
  if (cached) return cached;
  const seen = new Set<PgTable>();
  const tables: TableInfo[] = [];
  for (const table of manifest.tables) {
    if (seen.has(table)) continue;
    seen.add(table);
    tables.push(describeTable(table));
  }
  tablesCache.set(manifest, tables);
  return tables;
}

const variablesCache = new WeakMap<DatabaseManifest, Map<PgTable, string>>();

function variables(manifest: DatabaseManifest): Map<PgTable, string> {
  let names = variablesCache.get(manifest);
  if (!names) {
    names = new Map();
    for (const [name, value] of Object.entries(manifest.schema)) {
      if (typeof value === "object" && value !== null && !names.has(value as PgTable)) names.set(value as PgTable, name);
    }
    variablesCache.set(manifest, names);
  }
  return names;
}

/**
 * The context the rules of one validation share.
 *
 * @example
 * const ctx = createRuleContext(manifest, buildTableIndex([manifest, ...registered]), diagnostics, RULES.map((r) => r.name));
 */
export function createRuleContext(
  manifest: DatabaseManifest,
  index: TableIndex,
  diagnostics: readonly Diagnostic[],
  ruleNames: readonly string[],
): RuleContext {
  const packageName = manifest.packageName;
  const owners = (name: string) => index.get(name) ?? [];
  return {
    manifest,
    packageName,
    isCore: packageName === CORE_PACKAGE,
    tables: manifestTables(manifest),
    owners,
    resolve(table) {
      const all = owners(typeof table === "string" ? table : describeTable(table).name);
      return all.find((o) => o.manifest === manifest) ?? all.find((o) => o.manifest.packageName === packageName) ?? all[0];
    },
    isWorkspaceScoped: (owner) => !isGlobalTable(owner.manifest, owner.info.name),
    variableOf(owner) {
      const exported = variables(owner.manifest).get(owner.info.table);
      if (exported) return exported;
      const base = owner.info.baseName.replace(/^ydtb_/, "");
      return toCamelCase(base.replace(/^[^a-z]+/, "") || "table");
    },
    keyOf: (info, column) => info.keys.get(column) ?? toCamelCase(column),
    manifests: indexedManifests.get(index) ?? [manifest],
    diagnostics,
    ruleNames,
  };
}

/**
 * The manifest's tables the workspace rules check: all of them but those declared global
 * (`globalTables`). A table without `workspace_id` that is not declared global is among them:
 * `workspace-column` tells its author to add the column or declare the table global.
 *
 * @example
 * for (const t of workspaceTables(ctx)) …
 */
export function workspaceTables(ctx: RuleContext): TableInfo[] {
  return ctx.tables.filter((info) => ctx.isWorkspaceScoped({ manifest: ctx.manifest, info }));
}

/**
 * How a fix finds an index in the table's extra config: its builder and its name, or, unnamed,
 * the keys of its columns (an expression column stays as drizzle names it, `<expression>`).
 *
 * @example
 * indexEntry(ctx, info, index); // { call: "index", name: "ydtb_notes_items_ws_idx" }
 */
export function indexEntry(ctx: RuleContext, info: TableInfo, index: Index): EntryRef {
  const call = index.config.unique ? "uniqueIndex" : "index";
  if (index.config.name) return { call, name: index.config.name };
  return { call, on: indexColumnNames(index).map((c) => (c === undefined ? "<expression>" : ctx.keyOf(info, c))) };
}
