import { compareNames, schemaEntities, type DatabaseManifest } from "@ydtb/db-registry";
import { getMaterializedViewConfig, getViewConfig, PgDialect, type PgMaterializedView, type PgView } from "drizzle-orm/pg-core";
import { isDeclaredGlobal } from "./table-scope.ts";

/** A view or materialized view of a package's schema module. */
export interface ScopedView {
  /** SQL name, schema-qualified outside `public`. */
  readonly name: string;
  readonly materialized: boolean;
  /** `.with({ securityInvoker: true })`: the view reads its tables with the caller's rights (row-level security applies). */
  readonly securityInvoker: boolean;
  /** The view's query as SQL text; `undefined` for `.existing()` views (defined elsewhere). */
  readonly sql: string | undefined;
  /** A materialized view listed in the manifest's `globalTables`. */
  readonly declaredGlobal: boolean;
  /** The Drizzle object. */
  readonly view: PgView | PgMaterializedView;
}

const dialect = new PgDialect();

/**
 * Every view and materialized view of a manifest's schema module, sorted by name.
 *
 * @example
 * scopedViews(manifest); // [{ name: "ydtb_notes_open", materialized: false, securityInvoker: true, sql: "select …", declaredGlobal: false }]
 */
export function scopedViews(manifest: DatabaseManifest): ScopedView[] {
  const entities = schemaEntities(manifest.schema);
  const qualify = (schema: string | undefined, name: string) => (schema && schema !== "public" ? `${schema}.${name}` : name);
  const byName = new Map<string, ScopedView>();
  for (const view of entities.views) {
    const c = getViewConfig(view);
    const name = qualify(c.schema, c.name);
    byName.set(name, { name, materialized: false, securityInvoker: c.with?.securityInvoker === true, sql: c.query ? dialect.sqlToQuery(c.query).sql : undefined, declaredGlobal: false, view });
  }
  for (const view of entities.materializedViews) {
    const c = getMaterializedViewConfig(view);
    const name = qualify(c.schema, c.name);
    byName.set(name, { name, materialized: true, securityInvoker: false, sql: c.query ? dialect.sqlToQuery(c.query).sql : undefined, declaredGlobal: isDeclaredGlobal(manifest, name), view });
  }
  return [...byName.values()].sort((a, b) => compareNames(a.name, b.name));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The tables of `tables` a view's SQL names. Conservative, by text: a table counts when its
 * (unqualified) name appears in the SQL as a whole word, quoted or not, even inside a string or
 * a comment. A false hit only asks for `security_invoker`, which is harmless on a view over
 * global tables; a view reading a workspace table never slips through.
 *
 * @example
 * tablesNamedIn('select "id" from "ydtb_notes_items"', ["ydtb_notes_items", "ydtb_tools"]); // ["ydtb_notes_items"]
 */
export function tablesNamedIn(sql: string, tables: readonly string[]): string[] {
  return tables.filter((table) => {
    const base = table.includes(".") ? table.slice(table.lastIndexOf(".") + 1) : table;
    return new RegExp(`(^|[^\\w$])"?${escapeRegExp(base)}"?($|[^\\w$])`, "i").test(sql);
  });
}

/**
 * The views of a manifest its policy migration grants SELECT on to the runtime role: views with
 * `security_invoker` (row-level security of the tables they read applies to the caller) and
 * materialized views declared global. A plain view runs with its owner's rights and would read
 * past every policy; a materialized view stores every workspace's rows and no policy applies:
 * neither is granted.
 *
 * @example
 * grantedViewNames(manifest); // ["ydtb_notes_open"]
 */
export function grantedViewNames(manifest: DatabaseManifest): string[] {
  return scopedViews(manifest)
    .filter((v) => (v.materialized ? v.declaredGlobal : v.securityInvoker))
    .map((v) => v.name);
}
