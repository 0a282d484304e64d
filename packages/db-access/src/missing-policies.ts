import { migrationsFolder, type DatabaseManifest } from "@ydtb/db-registry";
import { desiredPolicyState } from "./desired-policy-state.ts";
import { readJournal, readPolicyState } from "./policy-state.ts";

/** A table whose row-level security the package's policy migrations do not match. */
export interface MissingPolicy {
  /** SQL table name. */
  readonly table: string;
  /** `missing`: a workspace table without the policy; `global`: a global table still carrying it. */
  readonly kind: "missing" | "global";
  /** The package's latest policy migration, when it has one. */
  readonly migration?: string;
}

/**
 * The tables whose policy the package's migrations lack (or still carry though the table is
 * now global). Reads the migrations folder (the generated markers); what the `workspace-rls`
 * validation rule reports. A package without any migration yet (no journal, an empty one, or
 * no TypeScript migration) has created no table in any database: nothing is missing until
 * drizzle-kit writes its first migration, and `db:generate` then writes the policy beside it.
 *
 * @example
 * missingPolicies(basicDatabase); // [] once `bun run db:generate` wrote 0002_workspace_rls
 */
export function missingPolicies(manifest: DatabaseManifest): MissingPolicy[] {
  if (!hasMigrations(manifest)) return [];
  const desired = desiredPolicyState(manifest);
  const current = readPolicyState(manifest);
  const at = current.migration ? { migration: current.migration } : {};
  return [
    ...desired.workspaceTables.filter((t) => !current.state.workspaceTables.includes(t)).map((table) => ({ table, kind: "missing" as const, ...at })),
    ...desired.globalTables.filter((t) => current.state.workspaceTables.includes(t)).map((table) => ({ table, kind: "global" as const, ...at })),
  ];
}

function hasMigrations(manifest: DatabaseManifest): boolean {
  if (typeof manifest.migrations !== "string") return manifest.migrations.length > 0;
  return (readJournal(migrationsFolder(manifest)!)?.entries.length ?? 0) > 0;
}
