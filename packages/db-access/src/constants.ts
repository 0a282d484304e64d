/**
 * The role the application's queries run as: it owns no table and cannot bypass row-level
 * security. Every generated policy migration creates it when missing (`NOLOGIN`) and grants it
 * the registered tables; {@link withWorkspace} switches to it for the transaction.
 *
 * @example
 * // operator, once per cluster, before the first migration (optional):
 * // CREATE ROLE ydtb_app LOGIN PASSWORD '…' NOSUPERUSER NOBYPASSRLS;
 * RUNTIME_ROLE; // "ydtb_app"
 */
export const RUNTIME_ROLE = "ydtb_app";

/**
 * The transaction-local setting that holds the current workspace id; every policy reads it.
 *
 * @example
 * // what withWorkspace runs first in its transaction:
 * // BEGIN; SET LOCAL ROLE ydtb_app; SET LOCAL ydtb.workspace_id = 'ws_1'
 * WORKSPACE_SETTING; // "ydtb.workspace_id"
 */
export const WORKSPACE_SETTING = "ydtb.workspace_id";

/**
 * The name of the one policy each workspace table carries (policy names are per table).
 *
 * @example
 * // SELECT tablename FROM pg_policies WHERE policyname = 'ydtb_workspace_isolation'
 * POLICY_NAME; // "ydtb_workspace_isolation"
 */
export const POLICY_NAME = "ydtb_workspace_isolation";

/**
 * The column that makes a table workspace-scoped.
 *
 * @example
 * getTableConfig(notes).columns.some((c) => c.name === WORKSPACE_ID_COLUMN); // true
 */
export const WORKSPACE_ID_COLUMN = "workspace_id";

/** Longest workspace id (`ydtb_workspaces.id` is `varchar(20)`). */
export const MAX_WORKSPACE_ID_LENGTH = 20;

/**
 * First line of every generated policy migration; the lines after it list the tables it covers.
 *
 * @example
 * readFileSync("drizzle/0002_workspace_rls.sql", "utf8").startsWith(POLICY_MARKER); // true
 */
export const POLICY_MARKER = "-- ydtb:workspace-rls";

/**
 * The name part of generated migration files: `NNNN_workspace_rls.sql` and `.down.sql`.
 *
 * @example
 * `${String(idx).padStart(4, "0")}_${DEFAULT_POLICY_MIGRATION_NAME}`; // "0002_workspace_rls"
 */
export const DEFAULT_POLICY_MIGRATION_NAME = "workspace_rls";

/**
 * The condition every policy puts on reads (USING) and writes (WITH CHECK). It fails closed:
 * an unset setting reads as NULL, one reset at the end of an earlier transaction as `''`, and
 * `NULLIF(…, '')` turns both into NULL, which equals nothing.
 *
 * @example
 * `CREATE POLICY … USING (${WORKSPACE_CONDITION}) WITH CHECK (${WORKSPACE_CONDITION})`;
 */
export const WORKSPACE_CONDITION = `"${WORKSPACE_ID_COLUMN}" = NULLIF(current_setting('${WORKSPACE_SETTING}', true), '')`;
