import type { SqlSession } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { POLICY_NAME, RUNTIME_ROLE, WORKSPACE_CONDITION } from "./constants.ts";
import { desiredPolicyState } from "./desired-policy-state.ts";
import { quoteTable } from "./policy-sql.ts";

/** What is wrong with one workspace table's row-level security in a database. */
export type RlsDriftProblem = "rls-disabled" | "rls-not-forced" | "policy-missing" | "policy-altered" | "extra-policy" | "grant-missing" | "schema-usage-missing";

/** One finding of {@link rlsDrift}. */
export interface RlsDrift {
  readonly package: string;
  /** The table or view; for `schema-usage-missing`, the schema. */
  readonly table: string;
  readonly problem: RlsDriftProblem;
  /** Names the table and the policy, says what differs and how to restore it. */
  readonly message: string;
}

type TableRow = {
  readonly name: string;
  readonly enabled: boolean;
  readonly forced: boolean;
  readonly granted: boolean | null;
  readonly policies: readonly { name: string; cmd: string; permissive: boolean; public: boolean; using: string | null; check: string | null }[] | null;
};

/**
 * A policy expression as comparable text: PostgreSQL deparses `"workspace_id" = NULLIF(…)` as
 * `((workspace_id)::text = NULLIF(current_setting('…'::text, true), ''::text))`, so casts to
 * text types, parentheses, double quotes and spaces are dropped from both sides, and case folded.
 *
 * @example
 * normalizePolicyExpression(`((workspace_id)::text = NULLIF(current_setting('ydtb.workspace_id'::text, true), ''::text))`)
 *   === normalizePolicyExpression(WORKSPACE_CONDITION); // true
 */
export function normalizePolicyExpression(expression: string): string {
  return expression
    .replace(/::(?:text|character varying|varchar)(?:\(\d+\))?/gi, "")
    .replace(/[()"\s]/g, "")
    .toLowerCase();
}

const EXPECTED = normalizePolicyExpression(WORKSPACE_CONDITION);

const CATALOG_SQL = `
SELECT t.name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
       CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${RUNTIME_ROLE}')
            THEN has_table_privilege('${RUNTIME_ROLE}', c.oid, 'SELECT') AND has_table_privilege('${RUNTIME_ROLE}', c.oid, 'INSERT')
             AND has_table_privilege('${RUNTIME_ROLE}', c.oid, 'UPDATE') AND has_table_privilege('${RUNTIME_ROLE}', c.oid, 'DELETE') END AS granted,
       (SELECT json_agg(json_build_object('name', p.polname, 'cmd', p.polcmd, 'permissive', p.polpermissive, 'public', p.polroles = ARRAY[0]::oid[],
                                          'using', pg_get_expr(p.polqual, p.polrelid), 'check', pg_get_expr(p.polwithcheck, p.polrelid)) ORDER BY p.polname)
          FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid) AS policies
  FROM json_to_recordset($1::json) AS t(name text, quoted text) JOIN pg_catalog.pg_class c ON c.oid = to_regclass(t.quoted)`;

/**
 * Compares the row-level security of every workspace table of `manifests` in a database with
 * what the policy migrations put there ({@link desiredPolicyState}): enabled and forced, the one
 * policy `ydtb_workspace_isolation` for all commands, to PUBLIC, permissive, with the workspace
 * condition in USING and WITH CHECK, no other policy (a second permissive policy would widen it),
 * and the four privileges granted to the runtime role; SELECT on every view the policy migrations
 * grant (`security_invoker` views, materialized views declared global), and USAGE on the schemas
 * other than `public` that hold them. Tables not in the database yet are left
 * to the migration status. Reads the catalog only.
 *
 * @example
 * const drift = await rlsDrift(db, manifests);
 * // [{ package: "@ydtb/basic", table: "ydtb_basic_notes", problem: "rls-not-forced", message: "…" }]
 */
export async function rlsDrift(session: SqlSession, manifests: readonly DatabaseManifest[]): Promise<RlsDrift[]> {
  const owner = new Map<string, string>();
  const viewOwner = new Map<string, string>();
  const schemaUsers = new Map<string, string[]>();
  for (const m of manifests) {
    const desired = desiredPolicyState(m);
    for (const t of desired.workspaceTables) owner.set(t, m.packageName);
    for (const v of desired.views ?? []) viewOwner.set(v, m.packageName);
    for (const s of desired.schemas ?? []) schemaUsers.set(s, [...(schemaUsers.get(s) ?? []), m.packageName]);
  }
  const drift: RlsDrift[] = [];
  if (owner.size > 0) {
    const names = [...owner.keys()].sort();
    const rows = await session.query<TableRow>(CATALOG_SQL, [JSON.stringify(names.map((name) => ({ name, quoted: quoteTable(name) })))]);
    drift.push(...rows.flatMap((row) => tableDrift(owner.get(row.name)!, row)));
  }
  if (viewOwner.size > 0) {
    const names = [...viewOwner.keys()].sort();
    const rows = await session.query<{ name: string; granted: boolean | null }>(VIEW_GRANT_SQL, [JSON.stringify(names.map((name) => ({ name, quoted: quoteTable(name) })))]);
    for (const row of rows.filter((r) => r.granted === false)) {
      const pkg = viewOwner.get(row.name)!;
      drift.push({
        package: pkg,
        table: row.name,
        problem: "grant-missing",
        message: `The runtime role "${RUNTIME_ROLE}" lacks SELECT on view "${row.name}" (${pkg}, security_invoker or declared global): reading it inside withWorkspace fails with 42501 (a redefined view loses its grants). Restore it: GRANT SELECT ON ${quoteTable(row.name)} TO "${RUNTIME_ROLE}";`,
      });
    }
  }
  if (schemaUsers.size > 0) {
    const rows = await session.query<{ name: string; usage: boolean | null }>(SCHEMA_USAGE_SQL, [[...schemaUsers.keys()].sort()]);
    for (const row of rows.filter((r) => r.usage === false)) {
      const pkgs = schemaUsers.get(row.name)!;
      drift.push({
        package: pkgs[0]!,
        table: row.name,
        problem: "schema-usage-missing",
        message: `The runtime role "${RUNTIME_ROLE}" lacks USAGE on schema "${row.name}" (${pkgs.join(", ")}): every query of its tables and views inside withWorkspace fails with 42501. Restore it: GRANT USAGE ON SCHEMA ${quoteTable(row.name)} TO "${RUNTIME_ROLE}";`,
      });
    }
  }
  return drift;
}

// Schemas the policy migrations grant USAGE on (NULL while the role is missing; absent schemas are left to the migration status).
const SCHEMA_USAGE_SQL = `
SELECT n.nspname AS name, CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${RUNTIME_ROLE}')
                               THEN has_schema_privilege('${RUNTIME_ROLE}', n.oid, 'USAGE') END AS usage
  FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY($1::text[])`;

// Views the policy migrations grant: SELECT for the runtime role (NULL while the role is missing).
const VIEW_GRANT_SQL = `
SELECT t.name, CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${RUNTIME_ROLE}')
                    THEN has_table_privilege('${RUNTIME_ROLE}', c.oid, 'SELECT') END AS granted
  FROM json_to_recordset($1::json) AS t(name text, quoted text) JOIN pg_catalog.pg_class c ON c.oid = to_regclass(t.quoted)`;

function tableDrift(pkg: string, row: TableRow): RlsDrift[] {
  const out: RlsDrift[] = [];
  const t = quoteTable(row.name);
  const add = (problem: RlsDriftProblem, message: string) => out.push({ package: pkg, table: row.name, problem, message });
  const restore = `or roll the package's policy migration back and apply it again (\`ydtb-db rollback ${pkg} …\`, then \`ydtb-db migrate\`)`;
  if (!row.enabled) add("rls-disabled", `Row-level security is disabled on workspace table "${row.name}" (${pkg}): every row of every workspace is visible. Restore it: ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY; ${restore}.`);
  if (!row.forced) add("rls-not-forced", `Row-level security is not forced on workspace table "${row.name}" (${pkg}): its owner sees every workspace. Restore it: ALTER TABLE ${t} FORCE ROW LEVEL SECURITY; ${restore}.`);
  const policies = row.policies ?? [];
  const ours = policies.find((p) => p.name === POLICY_NAME);
  const recreate = `DROP POLICY IF EXISTS "${POLICY_NAME}" ON ${t}; CREATE POLICY "${POLICY_NAME}" ON ${t} AS PERMISSIVE FOR ALL TO PUBLIC USING (${WORKSPACE_CONDITION}) WITH CHECK (${WORKSPACE_CONDITION});`;
  if (!ours) {
    add("policy-missing", `Workspace table "${row.name}" (${pkg}) has no policy "${POLICY_NAME}": with row-level security on, nobody but a superuser sees a row. Restore it: ${recreate}`);
  } else {
    const differs = [
      ours.cmd !== "*" && `for command "${ours.cmd}" instead of ALL`,
      !ours.permissive && "restrictive",
      !ours.public && "not TO PUBLIC",
      normalizePolicyExpression(ours.using ?? "") !== EXPECTED && `USING (${ours.using ?? "none"})`,
      normalizePolicyExpression(ours.check ?? ours.using ?? "") !== EXPECTED && `WITH CHECK (${ours.check ?? "none"})`,
    ].filter(Boolean);
    if (differs.length) add("policy-altered", `Policy "${POLICY_NAME}" on "${row.name}" (${pkg}) was altered: ${differs.join(", ")}; expected ${WORKSPACE_CONDITION} for all commands. Restore it: ${recreate}`);
  }
  for (const p of policies.filter((x) => x.name !== POLICY_NAME)) {
    add("extra-policy", `Workspace table "${row.name}" (${pkg}) has a policy "${p.name}" no migration of the registry made (${p.permissive ? "permissive: it widens what every workspace sees" : "restrictive"}). Drop it unless you mean it: DROP POLICY "${p.name.replaceAll('"', '""')}" ON ${t};`);
  }
  if (row.granted === false) add("grant-missing", `The runtime role "${RUNTIME_ROLE}" lacks SELECT, INSERT, UPDATE or DELETE on "${row.name}" (${pkg}): the app's queries will fail with 42501. Restore it: GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO "${RUNTIME_ROLE}";`);
  return out;
}
