import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar } from "libpg-query";

/** An `ALTER TABLE` statement's table and commands, or undefined for any other statement. */
export function alterTable(node: Node): { readonly relation: RangeVar; readonly cmds: readonly AlterTableCmd[] } | undefined {
  if (!("AlterTableStmt" in node)) return undefined;
  const stmt = node.AlterTableStmt;
  if (!stmt.relation || (stmt.objtype !== undefined && stmt.objtype !== "OBJECT_TABLE")) return undefined;
  const cmds = (stmt.cmds ?? []).flatMap((c) => ("AlterTableCmd" in c ? [c.AlterTableCmd] : []));
  return { relation: stmt.relation, cmds };
}

/** The column of an `ADD COLUMN` command. */
export function addedColumn(cmd: AlterTableCmd): ColumnDef | undefined {
  return cmd.subtype === "AT_AddColumn" && cmd.def && "ColumnDef" in cmd.def ? cmd.def.ColumnDef : undefined;
}

/** A column definition's inline constraints. */
export function columnConstraints(column: ColumnDef): Constraint[] {
  return (column.constraints ?? []).flatMap((c) => ("Constraint" in c ? [c.Constraint] : []));
}

/** The constraint of an `ADD CONSTRAINT` command. */
export function addedConstraint(cmd: AlterTableCmd): Constraint | undefined {
  return cmd.subtype === "AT_AddConstraint" && cmd.def && "Constraint" in cmd.def ? cmd.def.Constraint : undefined;
}

/** A type name's last part (`pg_catalog.int4` → `int4`). */
export function typeNameOf(column: ColumnDef): string {
  const last = column.typeName?.names?.at(-1);
  return last && "String" in last ? (last.String.sval ?? "") : "";
}

/** Every function name called anywhere inside an expression tree. */
export function calledFunctions(tree: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      const call = (value as { FuncCall?: { funcname?: Node[] } }).FuncCall;
      const last = call?.funcname?.at(-1);
      if (last && "String" in last && last.String.sval) out.push(last.String.sval.toLowerCase());
      Object.values(value).forEach(walk);
    }
  };
  walk(tree);
  return out;
}

/** A quoted identifier for suggestions. */
export function quote(name: string | undefined): string {
  return `"${(name ?? "").replace(/"/g, '""')}"`;
}
