import type { LintRule, RuleHit } from "../lint-types.ts";
import { tableName } from "../plan-state.ts";
import { quote } from "./alter-table.ts";

export const droppingTable: LintRule = {
  name: "dropping-table",
  description: "DROP TABLE breaks the previous release, which still queries the table",
  safe: "Expand, then contract: release N stops using the table (and unregisters its tools); release N+1, once no instance of N-1 runs, drops it.",
  check({ node, isNew }) {
    if (!("DropStmt" in node) || node.DropStmt.removeType !== "OBJECT_TABLE") return [];
    const hits: RuleHit[] = [];
    for (const object of node.DropStmt.objects ?? []) {
      const parts = "List" in object ? (object.List.items ?? []).map((n) => ("String" in n ? (n.String.sval ?? "") : "")) : [];
      const relation = parts.length > 1 ? { schemaname: parts[0], relname: parts[1] } : { relname: parts[0] };
      if (!isNew(relation)) hits.push({ table: tableName(relation), message: `dropping table ${quote(tableName(relation))} breaks the previous release's queries on it while both run` });
    }
    return hits;
  },
};

export const renamingTable: LintRule = {
  name: "renaming-table",
  description: "RENAME TO of a table breaks the previous release, which uses the old name",
  safe: "Create the new table, write both, backfill, switch reads, drop the old table in a later release (or keep a view under the old name until then).",
  check({ node, isNew }) {
    if (!("RenameStmt" in node)) return [];
    const stmt = node.RenameStmt;
    if (stmt.renameType !== "OBJECT_TABLE" || !stmt.relation || isNew(stmt.relation)) return [];
    return [{ table: tableName(stmt.relation), message: `renaming table ${quote(tableName(stmt.relation))} to ${quote(stmt.newname)} breaks the previous release, which still uses the old name` }];
  },
};
