// What a statement is, judged from PostgreSQL's parse tree (one `stmts[i].stmt` of libpg-query).

/** A parse-tree node: `{ NodeType: fields }`. */
export type StatementNode = Readonly<Record<string, unknown>>;

type Fields = Readonly<Record<string, unknown>>;

/** The node type of a statement, e.g. `CreateStmt`, `TransactionStmt`. */
export function statementKind(node: StatementNode): string {
  return Object.keys(node)[0] ?? "Unknown";
}

function fieldsOf(node: StatementNode): Fields {
  return (node[statementKind(node)] ?? {}) as Fields;
}

const TRANSACTION_WORDS: Readonly<Record<string, string>> = {
  TRANS_STMT_BEGIN: "BEGIN",
  TRANS_STMT_START: "START TRANSACTION",
  TRANS_STMT_COMMIT: "COMMIT",
  TRANS_STMT_ROLLBACK: "ROLLBACK",
  TRANS_STMT_SAVEPOINT: "SAVEPOINT",
  TRANS_STMT_RELEASE: "RELEASE SAVEPOINT",
  TRANS_STMT_ROLLBACK_TO: "ROLLBACK TO SAVEPOINT",
  TRANS_STMT_PREPARE: "PREPARE TRANSACTION",
  TRANS_STMT_COMMIT_PREPARED: "COMMIT PREPARED",
  TRANS_STMT_ROLLBACK_PREPARED: "ROLLBACK PREPARED",
};

/**
 * The transaction-control command a statement is (BEGIN, COMMIT, END, SAVEPOINT, PREPARE
 * TRANSACTION, …), or undefined. The engine owns a migration's transaction: such a statement
 * would end it early or nest another.
 *
 * @example
 * transactionControl({ TransactionStmt: { kind: "TRANS_STMT_COMMIT" } }) // "COMMIT"
 */
export function transactionControl(node: StatementNode): string | undefined {
  if (statementKind(node) !== "TransactionStmt") return undefined;
  const kind = String(fieldsOf(node).kind ?? "");
  return TRANSACTION_WORDS[kind] ?? kind.replace(/^TRANS_STMT_/, "");
}

const hasDefElem = (list: unknown, name: string) =>
  Array.isArray(list) && list.some((d) => (d as { DefElem?: { defname?: string } }).DefElem?.defname === name);

/**
 * Why a statement cannot run inside a transaction block (PostgreSQL refuses it there), or
 * undefined: CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY,
 * DETACH PARTITION … CONCURRENTLY, VACUUM, ALTER SYSTEM, CREATE/DROP DATABASE, CREATE/DROP
 * TABLESPACE, CLUSTER without a table, subscriptions.
 *
 * @example
 * outsideTransactionOnly({ IndexStmt: { concurrent: true } }) // "CREATE INDEX CONCURRENTLY"
 */
export function outsideTransactionOnly(node: StatementNode): string | undefined {
  const f = fieldsOf(node);
  switch (statementKind(node)) {
    case "IndexStmt":
      return f.concurrent ? "CREATE INDEX CONCURRENTLY" : undefined;
    case "DropStmt":
      return f.concurrent ? "DROP INDEX CONCURRENTLY" : undefined;
    case "ReindexStmt":
      return hasDefElem(f.params, "concurrently") ? "REINDEX … CONCURRENTLY" : undefined;
    case "VacuumStmt":
      return f.is_vacuumcmd ? "VACUUM" : undefined;
    case "AlterTableStmt": {
      const cmds = Array.isArray(f.cmds) ? f.cmds : [];
      const detach = cmds.some((c) => {
        const cmd = (c as { AlterTableCmd?: Fields }).AlterTableCmd;
        return cmd?.subtype === "AT_DetachPartition" && (cmd.def as { PartitionCmd?: Fields } | undefined)?.PartitionCmd?.concurrent === true;
      });
      return detach ? "ALTER TABLE … DETACH PARTITION … CONCURRENTLY" : undefined;
    }
    case "ClusterStmt":
      return f.relation === undefined ? "CLUSTER (every table)" : undefined;
    case "AlterSystemStmt":
      return "ALTER SYSTEM";
    case "CreatedbStmt":
      return "CREATE DATABASE";
    case "DropdbStmt":
      return "DROP DATABASE";
    case "CreateTableSpaceStmt":
      return "CREATE TABLESPACE";
    case "DropTableSpaceStmt":
      return "DROP TABLESPACE";
    case "CreateSubscriptionStmt":
    case "DropSubscriptionStmt":
    case "AlterSubscriptionStmt":
      return "a SUBSCRIPTION command";
    default:
      return undefined;
  }
}

// ALTER TABLE actions that are harmless when run a second time.
const IDEMPOTENT_TABLE_ACTIONS = new Set([
  "AT_ColumnDefault",
  "AT_SetNotNull",
  "AT_DropNotNull",
  "AT_SetStatistics",
  "AT_SetStorage",
  "AT_SetCompression",
  "AT_EnableRowSecurity",
  "AT_DisableRowSecurity",
  "AT_ForceRowSecurity",
  "AT_NoForceRowSecurity",
  "AT_SetLogged",
  "AT_SetUnLogged",
  "AT_SetRelOptions",
  "AT_ResetRelOptions",
  "AT_SetTableSpace",
  "AT_ChangeOwner",
  "AT_ReplicaIdentity",
]);
const GUARDED_TABLE_ACTIONS = new Set(["AT_AddColumn", "AT_DropColumn", "AT_DropConstraint"]);

// Statements that only (re)set state, whatever it was: a second run changes nothing.
const ALWAYS_IDEMPOTENT = new Set([
  "VacuumStmt",
  "ReindexStmt",
  "ClusterStmt",
  "RefreshMatViewStmt",
  "AlterSystemStmt",
  "VariableSetStmt",
  "CommentStmt",
  "GrantStmt",
  "GrantRoleStmt",
  "CheckPointStmt",
  "SelectStmt",
]);

/**
 * True when running the statement twice is harmless, judged from its parse tree: IF NOT
 * EXISTS (CREATE TABLE / INDEX / SEQUENCE / SCHEMA / EXTENSION / MATERIALIZED VIEW, ALTER TYPE
 * … ADD VALUE, ALTER TABLE … ADD COLUMN), IF EXISTS (DROP …, DROP COLUMN / CONSTRAINT), OR
 * REPLACE (function, view, trigger, rule), ALTER TABLE actions that set a state, and
 * VACUUM / ANALYZE / REINDEX / CLUSTER / REFRESH / SET / COMMENT / GRANT.
 *
 * @example
 * isIdempotent({ AlterEnumStmt: { skipIfNewValExists: true } }) // true
 */
export function isIdempotent(node: StatementNode): boolean {
  const kind = statementKind(node);
  const f = fieldsOf(node);
  if (ALWAYS_IDEMPOTENT.has(kind)) return true;
  switch (kind) {
    case "CreateStmt":
    case "IndexStmt":
    case "CreateSeqStmt":
    case "CreateSchemaStmt":
    case "CreateExtensionStmt":
    case "CreateTableAsStmt":
    case "CreateForeignTableStmt":
      return f.if_not_exists === true;
    case "AlterEnumStmt":
      return f.skipIfNewValExists === true;
    case "DropStmt":
    case "DropRoleStmt":
    case "DropdbStmt":
    case "DropTableSpaceStmt":
    case "DropSubscriptionStmt":
      return f.missing_ok === true;
    case "CreateFunctionStmt":
    case "ViewStmt":
    case "CreateTrigStmt":
    case "RuleStmt":
    case "CreateTransformStmt":
      return f.replace === true;
    case "AlterTableStmt": {
      const cmds = (Array.isArray(f.cmds) ? f.cmds : []).map((c) => (c as { AlterTableCmd?: Fields }).AlterTableCmd ?? {});
      return (
        cmds.length > 0 &&
        cmds.every((c) => IDEMPOTENT_TABLE_ACTIONS.has(String(c.subtype)) || (GUARDED_TABLE_ACTIONS.has(String(c.subtype)) && c.missing_ok === true))
      );
    }
    default:
      return false;
  }
}
