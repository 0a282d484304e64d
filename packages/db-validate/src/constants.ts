/**
 * The tables of `@ydtb/core` that are global, not workspace-scoped: Better Auth's user,
 * session, account and verification tables, the workspaces themselves (the root every
 * `workspace_id` points at) and the tools catalog. They are the roots of isolation, so the
 * workspace rules (`workspace-column`, `workspace-foreign-key`, `cross-workspace-reference`,
 * `unique-includes-workspace`, `workspace-index`) skip them; every other rule still applies.
 * The list applies only to the package `@ydtb/core`: a package table of the same name gets
 * every rule. Core's workspace-scoped tables (`ydtb_workspace_members`,
 * `ydtb_workspace_tools`) are not in it.
 *
 * @example
 * CORE_GLOBAL_TABLES.includes("ydtb_users"); // true
 */
export const CORE_GLOBAL_TABLES: readonly string[] = Object.freeze([
  "ydtb_users",
  "ydtb_sessions",
  "ydtb_accounts",
  "ydtb_verifications",
  "ydtb_workspaces",
  "ydtb_tools",
]);

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
