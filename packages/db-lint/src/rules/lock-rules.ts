import type { LintRule, RuleHit } from "../lint-types.ts";
import { tableName } from "../plan-state.ts";
import { alterTable, quote } from "./alter-table.ts";

const REWRITING_SUBTYPES: Readonly<Record<string, string>> = {
  AT_SetTableSpace: "SET TABLESPACE",
  AT_SetLogged: "SET LOGGED",
  AT_SetUnLogged: "SET UNLOGGED",
};

// LOCK TABLE modes as the parser numbers them: 5 SHARE and above block writes, 8 ACCESS EXCLUSIVE reads too.
const LOCK_MODES: Readonly<Record<number, string>> = { 5: "SHARE", 6: "SHARE ROW EXCLUSIVE", 7: "EXCLUSIVE", 8: "ACCESS EXCLUSIVE" };

export const rewritingTable: LintRule = {
  name: "rewriting-table",
  description: "REINDEX without CONCURRENTLY, VACUUM FULL, CLUSTER, SET TABLESPACE / LOGGED / UNLOGGED rebuild an existing table or index while it is locked",
  safe: "REINDEX … CONCURRENTLY in a `-- ydtb:no-transaction` migration; for VACUUM FULL or CLUSTER, an online tool (pg_repack) outside the boot, or plain VACUUM.",
  check({ node, isNew, tableOfIndex }) {
    const hits: RuleHit[] = [];
    if ("ReindexStmt" in node) {
      const stmt = node.ReindexStmt;
      const concurrent = (stmt.params ?? []).some((p) => "DefElem" in p && p.DefElem.defname === "concurrently");
      if (concurrent || !stmt.relation) return [];
      const table = stmt.kind === "REINDEX_OBJECT_INDEX" ? tableOfIndex(stmt.relation.schemaname, stmt.relation.relname ?? "") : `${stmt.relation.schemaname ?? "public"}.${stmt.relation.relname}`;
      const [schema, name] = table ? table.split(".") : [];
      if (name && isNew({ schemaname: schema, relname: name })) return [];
      hits.push({
        ...(name ? { table: name } : {}),
        message: `REINDEX of ${quote(stmt.relation.relname)} without CONCURRENTLY blocks writes to ${name ? quote(name) : "its table"} (and reads that use the index) until it is rebuilt`,
        safe: `In a \`-- ydtb:no-transaction\` migration: REINDEX ${stmt.kind === "REINDEX_OBJECT_INDEX" ? "INDEX" : "TABLE"} CONCURRENTLY ${quote(stmt.relation.relname)};`,
      });
    } else if ("VacuumStmt" in node && (node.VacuumStmt.options ?? []).some((o) => "DefElem" in o && o.DefElem.defname === "full")) {
      for (const rel of node.VacuumStmt.rels ?? []) {
        const relation = "VacuumRelation" in rel ? rel.VacuumRelation.relation : undefined;
        if (relation && !isNew(relation)) hits.push({ table: tableName(relation), message: `VACUUM FULL rewrites ${quote(tableName(relation))} under ACCESS EXCLUSIVE: no reads or writes meanwhile` });
      }
      if ((node.VacuumStmt.rels ?? []).length === 0) hits.push({ message: "VACUUM FULL without a table rewrites every table of the database, each under ACCESS EXCLUSIVE" });
    } else if ("ClusterStmt" in node && node.ClusterStmt.relation && !isNew(node.ClusterStmt.relation)) {
      hits.push({ table: tableName(node.ClusterStmt.relation), message: `CLUSTER rewrites ${quote(tableName(node.ClusterStmt.relation))} under ACCESS EXCLUSIVE: no reads or writes meanwhile` });
    } else {
      const alter = alterTable(node);
      if (!alter || isNew(alter.relation)) return [];
      for (const cmd of alter.cmds) {
        const what = REWRITING_SUBTYPES[cmd.subtype ?? ""];
        if (what) hits.push({ table: tableName(alter.relation), message: `${what} rewrites ${quote(tableName(alter.relation))} under ACCESS EXCLUSIVE: no reads or writes meanwhile` });
      }
    }
    return hits;
  },
};

export const lockingTable: LintRule = {
  name: "locking-table",
  description: "LOCK TABLE in SHARE mode or stronger on an existing table blocks its writes (ACCESS EXCLUSIVE: its reads too) until the migration commits",
  safe: "Drop the explicit lock: the statements take the locks they need, each as briefly as it can; keep the migration short and let row locks (UPDATE … WHERE) do the rest.",
  check({ node, isNew }) {
    if (!("LockStmt" in node) || (node.LockStmt.mode ?? 0) < 5) return [];
    const mode = LOCK_MODES[node.LockStmt.mode ?? 8] ?? "ACCESS EXCLUSIVE";
    return (node.LockStmt.relations ?? []).flatMap((r) => {
      const relation = "RangeVar" in r ? r.RangeVar : undefined;
      if (!relation || isNew(relation)) return [];
      return [{ table: tableName(relation), message: `LOCK TABLE ${quote(tableName(relation))} IN ${mode} MODE blocks ${mode === "ACCESS EXCLUSIVE" ? "its reads and writes" : "its writes"} for the rest of the migration` }];
    });
  },
};
