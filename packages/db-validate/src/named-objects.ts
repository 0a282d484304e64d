import { schemaEntities, type DatabaseManifest } from "@ydtb/db-registry";
import { getMaterializedViewConfig, getViewConfig, uniqueKeyName } from "drizzle-orm/pg-core";
import { manifestTables } from "./rule.ts";
import { indexColumnNames } from "./table-info.ts";

/**
 * Which PostgreSQL namespace a name lives in: relations (tables, views, indexes, sequences)
 * and types (enums; every table and view has a row type too) per schema, schemas per
 * database, roles per cluster.
 */
export type Namespace = "relation" | "type" | "schema" | "role";

/** One name a package puts in a namespace PostgreSQL shares between packages. */
export interface NamedObject {
  readonly namespace: Namespace;
  /** `public` unless the object is in a `pgSchema`; empty for schemas and roles. */
  readonly schema: string;
  readonly name: string;
  /** What it is, for messages: "enum", "sequence", "view", "index", "unique constraint", … */
  readonly kind: string;
  /** The table it belongs to (indexes and constraints). */
  readonly table?: string;
  /** False for a name drizzle derives from the table's (checked through the table's name). */
  readonly explicit: boolean;
  /** The Drizzle object (the same object exported twice counts once). */
  readonly object: unknown;
}

const cache = new WeakMap<DatabaseManifest, readonly NamedObject[]>();

/**
 * Every name a manifest's schema puts in PostgreSQL's shared namespaces.
 *
 * @example
 * namedObjects(basicDatabase).filter((o) => o.kind === "enum").map((o) => o.name);
 */
export function namedObjects(manifest: DatabaseManifest): readonly NamedObject[] {
  const cached = cache.get(manifest);
  if (cached) return cached;
  const out: NamedObject[] = [];
  const entities = schemaEntities(manifest.schema);
  for (const e of entities.enums) out.push({ namespace: "type", schema: e.schema ?? "public", name: e.enumName, kind: "enum", explicit: true, object: e });
  for (const s of entities.sequences) out.push({ namespace: "relation", schema: s.schema ?? "public", name: s.seqName ?? "", kind: "sequence", explicit: true, object: s });
  for (const v of entities.views) {
    const c = getViewConfig(v);
    out.push({ namespace: "relation", schema: c.schema ?? "public", name: c.name, kind: "view", explicit: true, object: v });
    out.push({ namespace: "type", schema: c.schema ?? "public", name: c.name, kind: "view", explicit: true, object: v });
  }
  for (const v of entities.materializedViews) {
    const c = getMaterializedViewConfig(v);
    out.push({ namespace: "relation", schema: c.schema ?? "public", name: c.name, kind: "materialized view", explicit: true, object: v });
    out.push({ namespace: "type", schema: c.schema ?? "public", name: c.name, kind: "materialized view", explicit: true, object: v });
  }
  for (const s of entities.schemas) out.push({ namespace: "schema", schema: "", name: s.schemaName, kind: "schema", explicit: true, object: s });
  for (const r of entities.roles) out.push({ namespace: "role", schema: "", name: r.name, kind: "role", explicit: true, object: r });
  for (const t of manifestTables(manifest)) {
    const schema = t.schema ?? "public";
    out.push({ namespace: "relation", schema, name: t.baseName, kind: "table", table: t.name, explicit: true, object: t.table });
    out.push({ namespace: "type", schema, name: t.baseName, kind: "table", table: t.name, explicit: true, object: t.table });
    const add = (kind: string, name: string, explicit: boolean, object: unknown) => out.push({ namespace: "relation", schema, name, kind, table: t.name, explicit, object });
    for (const i of t.config.indexes) {
      const derived = `${t.baseName}_${indexColumnNames(i).map((c) => c ?? "").join("_")}_index`;
      add("index", i.config.name ?? derived, i.config.name !== undefined, i);
    }
    for (const u of t.config.uniqueConstraints) {
      const derived = uniqueKeyName(t.table, u.columns.map((c) => c.name));
      const name = u.getName() ?? derived;
      add("unique constraint", name, name !== derived, u);
    }
    for (const pk of t.config.primaryKeys) add("primary key", pk.getName(), pk.name !== undefined, pk);
    if (t.config.primaryKeys.length === 0 && t.primaryKey.length > 0) add("primary key", `${t.baseName}_pkey`, false, t.table);
    for (const c of t.config.columns) {
      if (!c.isUnique) continue;
      const derived = uniqueKeyName(t.table, [c.name]);
      add("unique constraint", c.uniqueName ?? derived, c.uniqueName !== undefined && c.uniqueName !== derived, c);
    }
  }
  cache.set(manifest, out);
  return out;
}
