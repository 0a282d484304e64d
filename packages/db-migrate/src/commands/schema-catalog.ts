import type { SqlSession } from "@ydtb/db-client";
import { APPLIED_TABLE, HISTORY_TABLE, VERSIONS_TABLE } from "../history/history-schema.ts";

/**
 * The shape of a schema as sorted lines, read from `pg_catalog`: tables, columns (type,
 * nullability, default), constraints, indexes, enum types, sequences, and the definitions of
 * views and materialized views (a down that recreates a view differently is a difference). Two schemas are the
 * same when their lines are. Column order is ignored (a column dropped and added back moves
 * to the end). The bookkeeping tables are left out.
 *
 * @example
 * const before = await schemaCatalog(db);
 * // ... up, down
 * diffCatalogs(before, await schemaCatalog(db)) // [] when down undid up
 */
export async function schemaCatalog(session: SqlSession, schema = "public", ignore: readonly string[] = [HISTORY_TABLE, APPLIED_TABLE, VERSIONS_TABLE]): Promise<string[]> {
  const rows = await session.query<{ line: string }>(
    `SELECT 'table ' || c.relname || ' (' || c.relkind::text || ')' AS line
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT (c.relname = ANY($2::text[]))
     UNION ALL
     SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
            || CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END
            || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND NOT (c.relname = ANY($2::text[]))
     UNION ALL
     SELECT 'constraint ' || c.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND NOT (c.relname = ANY($2::text[]))
     UNION ALL
     SELECT 'index ' || i.tablename || '.' || i.indexname || ' ' || i.indexdef
       FROM pg_indexes i WHERE i.schemaname = $1 AND NOT (i.tablename = ANY($2::text[]))
     UNION ALL
     SELECT 'enum ' || t.typname || ' (' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) || ')'
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 GROUP BY t.typname
     UNION ALL
     SELECT 'view ' || c.relname || ' ' || pg_get_viewdef(c.oid, true)
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('v', 'm')
     UNION ALL
     SELECT 'sequence ' || c.relname
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'S' AND NOT (c.relname LIKE ANY (SELECT t || '%' FROM unnest($2::text[]) t))`,
    [schema, `{${ignore.join(",")}}`],
  );
  return rows.map((r) => r.line).sort();
}

/**
 * Lines only in `before` (`- …`) and only in `after` (`+ …`).
 *
 * @example
 * diffCatalogs(["column t.a text null"], []) // ["- column t.a text null"]
 */
export function diffCatalogs(before: readonly string[], after: readonly string[]): string[] {
  const a = new Set(before);
  const b = new Set(after);
  return [...before.filter((l) => !b.has(l)).map((l) => `- ${l}`), ...after.filter((l) => !a.has(l)).map((l) => `+ ${l}`)];
}
