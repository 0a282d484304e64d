import type { LintRule, RuleHit } from "../lint-types.ts";
import { tableName } from "../plan-state.ts";
import { quote } from "./alter-table.ts";

export const creatingIndexNonConcurrently: LintRule = {
  name: "creating-index-non-concurrently",
  description: "CREATE INDEX without CONCURRENTLY on an existing table blocks its writes for the whole build",
  safe: "In a `-- ydtb:no-transaction` migration: CREATE INDEX CONCURRENTLY IF NOT EXISTS \"name\" ON \"table\" (…);",
  check({ node, isNew }) {
    if (!("IndexStmt" in node)) return [];
    const stmt = node.IndexStmt;
    if (stmt.concurrent || !stmt.relation || isNew(stmt.relation)) return [];
    const t = quote(tableName(stmt.relation));
    return [
      {
        table: tableName(stmt.relation),
        message: `index ${quote(stmt.idxname ?? "(unnamed)")} is built on existing table ${t} without CONCURRENTLY: inserts, updates and deletes wait until it is done`,
        safe: `Build it in its own migration whose first line is \`-- ydtb:no-transaction\`:\n  -- ydtb:no-transaction\n  CREATE ${stmt.unique ? "UNIQUE " : ""}INDEX CONCURRENTLY IF NOT EXISTS ${quote(stmt.idxname ?? "name")} ON ${t} (…);`,
      },
    ];
  },
};

export const droppingIndexNonConcurrently: LintRule = {
  name: "dropping-index-non-concurrently",
  description: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table",
  safe: "Drop it in a `-- ydtb:no-transaction` migration: DROP INDEX CONCURRENTLY IF EXISTS \"name\";",
  check({ node, isNew, tableOfIndex }) {
    if (!("DropStmt" in node) || node.DropStmt.removeType !== "OBJECT_INDEX" || node.DropStmt.concurrent) return [];
    const hits: RuleHit[] = [];
    for (const object of node.DropStmt.objects ?? []) {
      const parts = "List" in object ? (object.List.items ?? []).map((n) => ("String" in n ? (n.String.sval ?? "") : "")) : [];
      const [schema, index] = parts.length > 1 ? [parts[0], parts[1] ?? ""] : [undefined, parts[0] ?? ""];
      const table = tableOfIndex(schema, index);
      const [tSchema, tName] = table ? table.split(".") : [];
      if (table && isNew({ schemaname: tSchema, relname: tName })) continue;
      hits.push({ ...(tName ? { table: tName } : {}), message: `index ${quote(index)} is dropped without CONCURRENTLY: ${table ? `table ${quote(tName)}` : "its table"} is locked against reads and writes meanwhile` });
    }
    return hits;
  },
};
