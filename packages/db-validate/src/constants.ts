/**
 * The tables `@ydtb/core` already has, by the short names a package might give its own copy:
 * a package table named like one of these (`ydtb_crm_users`, `ydtb_crm_members`, …) is told to
 * reference core's instead (`core-table-duplicate`).
 *
 * @example
 * CORE_TABLES.users; // "ydtb_users"
 */
export const CORE_TABLES: Readonly<Record<string, string>> = Object.freeze({
  users: "ydtb_users",
  user: "ydtb_users",
  sessions: "ydtb_sessions",
  session: "ydtb_sessions",
  accounts: "ydtb_accounts",
  account: "ydtb_accounts",
  verifications: "ydtb_verifications",
  verification: "ydtb_verifications",
  workspaces: "ydtb_workspaces",
  workspace: "ydtb_workspaces",
  members: "ydtb_workspace_members",
  workspace_members: "ydtb_workspace_members",
  memberships: "ydtb_workspace_members",
});

/**
 * The prefix of every table's SQL name.
 *
 * @example
 * "ydtb_basic_notes".startsWith(TABLE_PREFIX); // true
 */
export const TABLE_PREFIX = "ydtb_";

/**
 * The core table every workspace-scoped row belongs to.
 *
 * @example
 * getTableConfig(workspaces).name === WORKSPACES_TABLE; // true
 */
export const WORKSPACES_TABLE = "ydtb_workspaces";

/**
 * The SQL name of the workspace column every workspace-scoped table has.
 *
 * @example
 * varchar(WORKSPACE_ID_COLUMN, { length: 20 }).notNull()
 */
export const WORKSPACE_ID_COLUMN = "workspace_id";

/**
 * The SQL type of `ydtb_workspaces.id`, and so of every `workspace_id` column.
 *
 * @example
 * column.getSQLType() === WORKSPACE_ID_SQL_TYPE; // "varchar(20)"
 */
export const WORKSPACE_ID_SQL_TYPE = "varchar(20)";
