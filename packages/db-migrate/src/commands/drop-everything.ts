import type { Database } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { isPgEnum } from "drizzle-orm/pg-core";
import { getTableConfig } from "drizzle-orm/pg-core";
import { orderOrNames } from "../graph/package-graph.ts";
import { historyTableNames } from "../history/history-schema.ts";
import { stampTablesOf } from "../plan/boot-stamp.ts";
import { withMigrationLock } from "../run/migration-lock.ts";

/** Options of {@link dropEverything}. */
export interface DropOptions {
  readonly historyTable?: string;
  readonly lockTimeoutMs?: number;
}

/** What {@link dropEverything} dropped. */
export interface DropResult {
  /** Tables, package tables first (dependents before dependencies), then the bookkeeping tables. */
  readonly tables: readonly string[];
  /** Enum types of the schemas. */
  readonly types: readonly string[];
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Drops every registered table (dependents first, `CASCADE`), the schemas' enum types, and the
 * history, applied and versions tables, in one transaction under the migration lock. For
 * `ydtb-db reset --force` on development databases: the data is gone.
 *
 * @example
 * const { tables } = await dropEverything(db, registry.list());
 */
export async function dropEverything(db: Database, manifests: readonly DatabaseManifest[], options: DropOptions = {}): Promise<DropResult> {
  const tables = historyTableNames(options.historyTable);
  const { order } = orderOrNames(manifests); // a broken graph still resets: CASCADE copes with any order
  const dropped: string[] = [];
  const types: string[] = [];
  const statements: string[] = [];
  for (const name of [...order].reverse()) {
    const m = manifests.find((x) => x.packageName === name)!;
    for (const table of [...m.tables].reverse()) {
      const c = getTableConfig(table);
      const qualified = c.schema && c.schema !== "public" ? `${quoteIdent(c.schema)}.${quoteIdent(c.name)}` : quoteIdent(c.name);
      statements.push(`DROP TABLE IF EXISTS ${qualified} CASCADE`);
      dropped.push(c.schema && c.schema !== "public" ? `${c.schema}.${c.name}` : c.name);
    }
    for (const value of Object.values(m.schema)) {
      if (isPgEnum(value)) {
        statements.push(`DROP TYPE IF EXISTS ${value.schema ? `${quoteIdent(value.schema)}.` : ""}${quoteIdent(value.enumName)} CASCADE`);
        types.push(value.enumName);
      }
    }
  }
  for (const t of [stampTablesOf(tables.history).stamp, tables.applied, tables.versions, tables.history]) {
    statements.push(`DROP TABLE IF EXISTS ${quoteIdent(t)} CASCADE`);
    dropped.push(t);
  }
  await withMigrationLock(db, { lockTimeoutMs: options.lockTimeoutMs, historyTable: tables.history }, (conn) =>
    conn.transaction(async (tx) => {
      for (const s of statements) await tx.exec(s);
    }),
  );
  return { tables: dropped, types };
}
