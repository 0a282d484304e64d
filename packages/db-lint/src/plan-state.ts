import type { Constraint, Node, RangeVar } from "libpg-query";

/**
 * The schema facts the rules need, built statement by statement from the history (migrations
 * already shipped) and then the plan: which tables the plan created, which `CHECK (c IS NOT
 * NULL)` constraints are validated, which table an index is on.
 */
export class PlanState {
  private readonly newTables = new Set<string>();
  private readonly notNullChecks = new Map<string, Map<string, { column: string; validated: boolean }>>();
  private readonly indexes = new Map<string, string>();
  private notValidHere = new Set<string>();

  /** True when `relation` was created in the plan so far. */
  isNew(relation: RangeVar | undefined): boolean {
    return relation !== undefined && this.newTables.has(tableKey(relation));
  }

  hasValidatedNotNullCheck(relation: RangeVar, column: string): boolean {
    for (const check of this.notNullChecks.get(tableKey(relation))?.values() ?? []) if (check.column === column && check.validated) return true;
    return false;
  }

  tableOfIndex(schema: string | undefined, index: string): string | undefined {
    return this.indexes.get(`${schema ?? "public"}.${index}`);
  }

  addedNotValidHere(relation: RangeVar, constraint: string): boolean {
    return this.notValidHere.has(`${tableKey(relation)}/${constraint}`);
  }

  /** A new migration starts: "added NOT VALID in this transaction" resets. */
  startMigration(): void {
    this.notValidHere = new Set();
  }

  /** Records what a statement changes; `inPlan` false for history (its tables are not new). */
  apply(node: Node, inPlan: boolean, transactional: boolean): void {
    if ("CreateStmt" in node) {
      const rel = node.CreateStmt.relation;
      if (!rel) return;
      if (inPlan) this.newTables.add(tableKey(rel));
      for (const element of node.CreateStmt.tableElts ?? []) {
        if ("Constraint" in element) this.addConstraint(rel, element.Constraint, false);
        if ("ColumnDef" in element) {
          for (const c of element.ColumnDef.constraints ?? []) if ("Constraint" in c) this.addConstraint(rel, c.Constraint, false);
        }
      }
    } else if ("CreateTableAsStmt" in node) {
      const rel = node.CreateTableAsStmt.into?.rel;
      if (rel && inPlan) this.newTables.add(tableKey(rel));
    } else if ("RenameStmt" in node && node.RenameStmt.renameType === "OBJECT_TABLE" && node.RenameStmt.relation && node.RenameStmt.newname) {
      const from = tableKey(node.RenameStmt.relation);
      const to = `${node.RenameStmt.relation.schemaname ?? "public"}.${node.RenameStmt.newname}`;
      if (this.newTables.delete(from)) this.newTables.add(to);
      const checks = this.notNullChecks.get(from);
      this.notNullChecks.delete(from);
      if (checks) this.notNullChecks.set(to, checks);
    } else if ("DropStmt" in node) {
      for (const object of node.DropStmt.objects ?? []) {
        const names = "List" in object ? (object.List.items ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : "")) : [];
        const key = names.length > 1 ? names.join(".") : `public.${names[0] ?? ""}`;
        if (node.DropStmt.removeType === "OBJECT_TABLE") {
          this.newTables.delete(key);
          this.notNullChecks.delete(key);
        } else if (node.DropStmt.removeType === "OBJECT_INDEX") this.indexes.delete(key);
      }
    } else if ("IndexStmt" in node) {
      const { idxname, relation } = node.IndexStmt;
      if (idxname && relation) this.indexes.set(`${relation.schemaname ?? "public"}.${idxname}`, tableKey(relation));
    } else if ("AlterTableStmt" in node && node.AlterTableStmt.relation) {
      const rel = node.AlterTableStmt.relation;
      for (const item of node.AlterTableStmt.cmds ?? []) {
        if (!("AlterTableCmd" in item)) continue;
        const cmd = item.AlterTableCmd;
        if (cmd.subtype === "AT_AddConstraint" && cmd.def && "Constraint" in cmd.def) {
          this.addConstraint(rel, cmd.def.Constraint, transactional);
        } else if (cmd.subtype === "AT_ValidateConstraint" && cmd.name) {
          const check = this.notNullChecks.get(tableKey(rel))?.get(cmd.name);
          if (check) check.validated = true;
        } else if (cmd.subtype === "AT_DropConstraint" && cmd.name) {
          this.notNullChecks.get(tableKey(rel))?.delete(cmd.name);
        }
      }
    }
  }

  private addConstraint(rel: RangeVar, constraint: Constraint, transactional: boolean): void {
    if (constraint.skip_validation && constraint.conname && transactional) this.notValidHere.add(`${tableKey(rel)}/${constraint.conname}`);
    if (constraint.contype !== "CONSTR_CHECK" || !constraint.conname) return;
    const column = notNullColumn(constraint.raw_expr);
    if (!column) return;
    const key = tableKey(rel);
    const checks = this.notNullChecks.get(key) ?? new Map();
    checks.set(constraint.conname, { column, validated: !constraint.skip_validation });
    this.notNullChecks.set(key, checks);
  }
}

/**
 * `schema.table` of a relation, `public` when unqualified (the parser already folded case).
 *
 * @example
 * tableKey({ relname: "ydtb_basic_notes" }) // "public.ydtb_basic_notes"
 */
export function tableKey(relation: RangeVar): string {
  return `${relation.schemaname ?? "public"}.${relation.relname ?? ""}`;
}

/** The table's name as findings show it: unqualified in `public`. */
export function tableName(relation: RangeVar): string {
  return relation.schemaname && relation.schemaname !== "public" ? `${relation.schemaname}.${relation.relname}` : (relation.relname ?? "");
}

// `CHECK (col IS NOT NULL)`: the column, else undefined.
function notNullColumn(expr: Node | undefined): string | undefined {
  if (!expr || !("NullTest" in expr) || expr.NullTest.nulltesttype !== "IS_NOT_NULL") return undefined;
  const arg = expr.NullTest.arg;
  if (!arg || !("ColumnRef" in arg)) return undefined;
  const last = arg.ColumnRef.fields?.at(-1);
  return last && "String" in last ? last.String.sval : undefined;
}
