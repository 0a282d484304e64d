import { POLICY_MARKER, POLICY_NAME, RUNTIME_ROLE, WORKSPACE_CONDITION } from "./constants.ts";

/** Which tables a package's policy migrations cover: the state after its latest one. */
export interface PolicyState {
  /** Tables with the workspace policy (RLS enabled and forced), sorted SQL names. */
  readonly workspaceTables: readonly string[];
  /** Tables granted to the runtime role without a policy, sorted SQL names. */
  readonly globalTables: readonly string[];
  /** Views granted SELECT to the runtime role (see `grantedViewNames`), sorted SQL names; absent = none. */
  readonly views?: readonly string[];
  /** Schemas other than `public` granted USAGE to the runtime role (those of the tables and views above), sorted; absent = none. */
  readonly schemas?: readonly string[];
}

/**
 * The schemas other than `public` that objects named `schema.name` live in, sorted: the runtime
 * role needs USAGE on each to reach any of them.
 *
 * @example
 * schemasOf(["crm.ydtb_crm_deals", "ydtb_crm_notes", "crm.ydtb_crm_open"]); // ["crm"]
 */
export function schemasOf(names: readonly string[]): string[] {
  return [...new Set(names.filter((n) => n.includes(".")).map((n) => n.slice(0, n.indexOf("."))))].sort();
}

/**
 * The state before a package's first policy migration.
 *
 * @example
 * policyMigrationSql(EMPTY_POLICY_STATE, { workspaceTables: ["ydtb_x_items"], globalTables: [] });
 */
export const EMPTY_POLICY_STATE: PolicyState = Object.freeze({ workspaceTables: [], globalTables: [] });

const BREAKPOINT = "\n--> statement-breakpoint\n";
const PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE";

/**
 * A table name quoted for SQL, part by part.
 *
 * @example
 * quoteTable("crm.ydtb_crm_deals"); // '"crm"."ydtb_crm_deals"'
 */
export function quoteTable(name: string): string {
  return name
    .split(".")
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join(".");
}

const role = `"${RUNTIME_ROLE}"`;

/**
 * Creates the runtime role when it is missing. Roles belong to the cluster, so two databases
 * migrating at once may both try: the loser's duplicate is ignored. Never dropped by a down
 * (other databases of the cluster may use it).
 *
 * @example
 * policyMigrationSql(EMPTY_POLICY_STATE, next).up.includes(ENSURE_RUNTIME_ROLE_SQL); // true
 */
export const ENSURE_RUNTIME_ROLE_SQL = `DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN
    CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  -- created meanwhile by a migration of another database of this cluster: nothing left to do
  NULL;
END
$$;`;

/**
 * ENABLE + FORCE + the one policy, for one table.
 *
 * @example
 * enablePolicySql("ydtb_basic_notes")[1]; // 'ALTER TABLE "ydtb_basic_notes" FORCE ROW LEVEL SECURITY;'
 */
export function enablePolicySql(table: string): string[] {
  const t = quoteTable(table);
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`,
    `CREATE POLICY "${POLICY_NAME}" ON ${t} AS PERMISSIVE FOR ALL TO PUBLIC USING (${WORKSPACE_CONDITION}) WITH CHECK (${WORKSPACE_CONDITION});`,
  ];
}

/**
 * The reverse of {@link enablePolicySql}.
 *
 * @example
 * disablePolicySql("ydtb_basic_notes")[0]; // 'DROP POLICY IF EXISTS "ydtb_workspace_isolation" ON "ydtb_basic_notes";'
 */
export function disablePolicySql(table: string): string[] {
  const t = quoteTable(table);
  return [`DROP POLICY IF EXISTS "${POLICY_NAME}" ON ${t};`, `ALTER TABLE ${t} NO FORCE ROW LEVEL SECURITY;`, `ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY;`];
}

// A view no longer granted may also have left the schema (its drizzle-kit migration dropped
// it, and its grant with it): the statement runs only when the view is still there.
const ifExists = (view: string, statement: string) =>
  `DO $$\nBEGIN\n  IF to_regclass('${quoteTable(view).replaceAll("'", "''")}') IS NOT NULL THEN\n    ${statement}\n  END IF;\nEND\n$$;`;
// Likewise a schema no longer used may have been dropped with its last table.
const ifSchemaExists = (schema: string, statement: string) =>
  `DO $$\nBEGIN\n  IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = '${schema.replaceAll("'", "''")}') THEN\n    ${statement}\n  END IF;\nEND\n$$;`;

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

/**
 * The marker block a generated migration starts with: what it covers, so the next generation
 * and the `workspace-rls` validation rule can read the state back.
 *
 * @example
 * policyMarker({ workspaceTables: ["ydtb_basic_notes"], globalTables: [] });
 * // "-- ydtb:workspace-rls\n-- workspace tables: ydtb_basic_notes\n-- global tables: (none)\n…"
 */
export function policyMarker(state: PolicyState): string {
  const list = (xs: readonly string[]) => (xs.length ? xs.join(", ") : "(none)");
  return [
    POLICY_MARKER,
    `-- workspace tables: ${list(state.workspaceTables)}`,
    `-- global tables: ${list(state.globalTables)}`,
    // Only when there are views: the migrations of packages without views stay as they were.
    ...(state.views?.length ? [`-- views: ${list(state.views)}`] : []),
    ...(state.schemas?.length ? [`-- schemas: ${list(state.schemas)}`] : []),
    "-- Generated from the registry by `ydtb-db-access generate` (run by `bun run db:generate`). Do not edit:",
    "-- change the schema (or the manifest's globalTables) and generate again.",
  ].join("\n");
}

/**
 * The up and down SQL that take a package from one policy state to the next, in drizzle-kit's
 * format (statements split by `--> statement-breakpoint`). Up: ensures the runtime role, puts
 * the policy on new workspace tables, takes it off tables that became global, grants new tables
 * to the runtime role, SELECT on new granted views (revoked from views no longer granted), USAGE
 * on the schemas other than `public` they live in. Down undoes exactly that, in reverse (the role stays). Tables that left
 * the schema are not touched: the migration that dropped them took their policy along.
 * Pure: no file, no database.
 *
 * @example
 * const { up, down } = policyMigrationSql(EMPTY_POLICY_STATE, { workspaceTables: ["ydtb_basic_notes"], globalTables: [] });
 */
export function policyMigrationSql(previous: PolicyState, next: PolicyState): { readonly up: string; readonly down: string } {
  const prevAll = [...previous.workspaceTables, ...previous.globalTables];
  const nextAll = [...next.workspaceTables, ...next.globalTables];
  const policyAdded = minus(next.workspaceTables, previous.workspaceTables);
  const policyRemoved = minus(previous.workspaceTables, next.workspaceTables).filter((t) => nextAll.includes(t));
  const granted = minus(nextAll, prevAll);
  const viewsGranted = minus(next.views ?? [], previous.views ?? []);
  const viewsRevoked = minus(previous.views ?? [], next.views ?? []);
  const usageGranted = minus(next.schemas ?? [], previous.schemas ?? []);
  const usageRevoked = minus(previous.schemas ?? [], next.schemas ?? []);
  const usage = (s: string) => `USAGE ON SCHEMA ${quoteTable(s)}`;
  const up = [
    ENSURE_RUNTIME_ROLE_SQL,
    ...usageGranted.map((s) => `GRANT ${usage(s)} TO ${role};`),
    ...policyAdded.flatMap(enablePolicySql),
    ...policyRemoved.flatMap(disablePolicySql),
    ...granted.map((t) => `GRANT ${PRIVILEGES} ON ${quoteTable(t)} TO ${role};`),
    ...viewsGranted.map((v) => `GRANT SELECT ON ${quoteTable(v)} TO ${role};`),
    ...viewsRevoked.map((v) => ifExists(v, `REVOKE SELECT ON ${quoteTable(v)} FROM ${role};`)),
    ...usageRevoked.map((s) => ifSchemaExists(s, `REVOKE ${usage(s)} FROM ${role};`)),
  ];
  const down = [
    ...usageRevoked.map((s) => ifSchemaExists(s, `GRANT ${usage(s)} TO ${role};`)),
    ...viewsRevoked.map((v) => ifExists(v, `GRANT SELECT ON ${quoteTable(v)} TO ${role};`)),
    ...viewsGranted.map((v) => `REVOKE SELECT ON ${quoteTable(v)} FROM ${role};`),
    ...granted.map((t) => `REVOKE ${PRIVILEGES} ON ${quoteTable(t)} FROM ${role};`),
    ...policyRemoved.flatMap(enablePolicySql),
    ...policyAdded.flatMap(disablePolicySql),
    ...usageGranted.map((s) => `REVOKE ${usage(s)} FROM ${role};`),
  ];
  const downHeader = "-- Undoes the policy migration beside it (generated by `ydtb-db-access generate`; do not edit). The runtime role stays: other databases may use it.";
  return {
    up: `${policyMarker(next)}\n${up.join(BREAKPOINT)}\n`,
    down: `${downHeader}\n${down.join(BREAKPOINT)}\n`,
  };
}

/**
 * True when two states cover the same tables the same way.
 *
 * @example
 * samePolicyState(readPolicyState(m).state, desiredPolicyState(m)); // false → generate a migration
 */
export function samePolicyState(a: PolicyState, b: PolicyState): boolean {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.workspaceTables, b.workspaceTables) && same(a.globalTables, b.globalTables) && same(a.views ?? [], b.views ?? []) && same(a.schemas ?? [], b.schemas ?? []);
}
