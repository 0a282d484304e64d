import type { LintRule, RuleHit } from "../lint-types.ts";
import { tableName } from "../plan-state.ts";
import { addedColumn, addedConstraint, alterTable, columnConstraints, quote } from "./alter-table.ts";

const VALIDATED_KINDS: Readonly<Record<string, string>> = { CONSTR_FOREIGN: "foreign key", CONSTR_CHECK: "check" };

export const constraintMissingNotValid: LintRule = {
  name: "constraint-missing-not-valid",
  description: "a FOREIGN KEY or CHECK added to an existing table without NOT VALID scans every row under lock (writes blocked; for a CHECK, reads too)",
  safe: "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later migration (its own transaction).",
  check({ node, isNew }) {
    const alter = alterTable(node);
    if (!alter || isNew(alter.relation)) return [];
    const t = quote(tableName(alter.relation));
    const hits: RuleHit[] = [];
    for (const cmd of alter.cmds) {
      const constraint = addedConstraint(cmd);
      const kind = constraint && VALIDATED_KINDS[constraint.contype ?? ""];
      if (constraint && kind && !constraint.skip_validation) {
        const name = quote(constraint.conname ?? "name");
        hits.push({
          table: tableName(alter.relation),
          message: `${kind} ${name} is added to existing table ${t} and validated at once: every row is checked while the table is locked`,
          safe: `Add it NOT VALID (instant; new rows are checked), then validate in a later migration, which allows reads and writes meanwhile:\n  ALTER TABLE ${t} ADD CONSTRAINT ${name} … NOT VALID;\n  ALTER TABLE ${t} VALIDATE CONSTRAINT ${name};`,
        });
      }
      const column = addedColumn(cmd);
      const inline = column && columnConstraints(column).find((c) => VALIDATED_KINDS[c.contype ?? ""]);
      if (column && inline) {
        hits.push({
          table: tableName(alter.relation),
          column: column.colname,
          message: `column ${quote(column.colname)} is added to existing table ${t} with an inline ${VALIDATED_KINDS[inline.contype ?? ""]}, which is validated under lock`,
          safe: `Add the column alone, then the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration.`,
        });
      }
    }
    return hits;
  },
};

export const validatingInSameTransaction: LintRule = {
  name: "validating-in-same-transaction",
  description: "VALIDATE CONSTRAINT in the migration that added it NOT VALID keeps the ADD's lock during the whole scan",
  safe: "Move VALIDATE CONSTRAINT to the next migration: each migration is its own transaction, so the lock of ADD … NOT VALID is released before the scan.",
  check({ node, isNew, addedNotValidHere }) {
    const alter = alterTable(node);
    if (!alter || isNew(alter.relation)) return [];
    return alter.cmds
      .filter((c) => c.subtype === "AT_ValidateConstraint" && c.name && addedNotValidHere(alter.relation, c.name))
      .map((c) => ({ table: tableName(alter.relation), message: `constraint ${quote(c.name)} is validated in the transaction that added it NOT VALID: the table stays locked for the whole scan` }));
  },
};

export const addingUniqueConstraint: LintRule = {
  name: "adding-unique-constraint",
  description: "ADD UNIQUE / PRIMARY KEY / EXCLUDE on an existing table builds its index while writes (and, for ALTER TABLE, reads) wait",
  safe: "CREATE UNIQUE INDEX CONCURRENTLY in a no-transaction migration, then ADD CONSTRAINT … UNIQUE USING INDEX.",
  check({ node, isNew }) {
    const alter = alterTable(node);
    if (!alter || isNew(alter.relation)) return [];
    const t = quote(tableName(alter.relation));
    const hits: RuleHit[] = [];
    for (const cmd of alter.cmds) {
      const constraints = [addedConstraint(cmd), ...(addedColumn(cmd) ? columnConstraints(addedColumn(cmd)!) : [])];
      for (const c of constraints) {
        if (!c || !["CONSTR_UNIQUE", "CONSTR_PRIMARY", "CONSTR_EXCLUSION"].includes(c.contype ?? "") || c.indexname) continue;
        const name = quote(c.conname ?? "name");
        const kind = c.contype === "CONSTR_PRIMARY" ? "PRIMARY KEY" : "UNIQUE";
        hits.push({
          table: tableName(alter.relation),
          message: `${c.contype === "CONSTR_EXCLUSION" ? "an exclusion constraint" : kind} added to existing table ${t} builds its index under an ACCESS EXCLUSIVE lock`,
          safe: `Build the index concurrently (a \`-- ydtb:no-transaction\` migration), then attach it:\n  CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${quote(`${alter.relation.relname}_idx`)} ON ${t} (…);\n  ALTER TABLE ${t} ADD CONSTRAINT ${name} ${kind} USING INDEX ${quote(`${alter.relation.relname}_idx`)};   -- next migration`,
        });
      }
    }
    return hits;
  },
};
