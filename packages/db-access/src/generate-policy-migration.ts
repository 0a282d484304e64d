import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsFolder, type DatabaseManifest } from "@ydtb/db-registry";
import { DEFAULT_POLICY_MIGRATION_NAME } from "./constants.ts";
import { desiredPolicyState } from "./desired-policy-state.ts";
import { DbAccessError } from "./errors.ts";
import { policyMigrationSql, samePolicyState, type PolicyState } from "./policy-sql.ts";
import { readJournal, readPolicyState } from "./policy-state.ts";

/** Options of {@link generatePolicyMigration}. */
export interface GeneratePolicyOptions {
  /** The name part of the files. Default {@link DEFAULT_POLICY_MIGRATION_NAME}. */
  readonly name?: string;
  /** Only report whether a migration is needed; write nothing. Default false. */
  readonly dryRun?: boolean;
  /** The journal's `when` for the new entry (at least one more than the last). Default `Date.now()`. */
  readonly now?: number;
}

/** What {@link generatePolicyMigration} did for one package. */
export type GeneratePolicyResult =
  | { readonly package: string; readonly status: "up-to-date"; readonly state: PolicyState; readonly migration?: string }
  | { readonly package: string; readonly status: "skipped"; readonly reason: string }
  | {
      readonly package: string;
      readonly status: "written" | "needed";
      readonly previous: PolicyState;
      readonly state: PolicyState;
      /** The new migration's tag, e.g. `0002_workspace_rls`. */
      readonly migration: string;
      /** Files written (absolute), the journal last; empty on a dry run. */
      readonly files: readonly string[];
    };

const pad = (idx: number) => String(idx).padStart(4, "0");

/**
 * Writes a package's next row-level-security migration when its workspace tables (or its
 * global tables) differ from what its policy migrations cover: `NNNN_workspace_rls.sql`, its
 * `.down.sql`, a snapshot copied from the last one (the Drizzle schema did not change, so drift
 * detection stays clean) and the journal entry — the same files `drizzle-kit generate --custom`
 * writes. Run it after drizzle-kit (the package's `db:generate` does). Nothing is written when
 * the package is up to date. TypeScript migrations are `skipped` (add `workspacePolicyMigration()`).
 *
 * @example
 * const result = await generatePolicyMigration(basicDatabase);
 * // { status: "written", migration: "0002_workspace_rls", files: [".../0002_workspace_rls.sql", …] }
 */
export function generatePolicyMigration(manifest: DatabaseManifest, options: GeneratePolicyOptions = {}): GeneratePolicyResult {
  const pkg = manifest.packageName;
  const desired = desiredPolicyState(manifest);
  if (typeof manifest.migrations !== "string") {
    const current = readPolicyState(manifest);
    if (samePolicyState(current.state, desired)) return { package: pkg, status: "up-to-date", state: desired, ...(current.migration ? { migration: current.migration } : {}) };
    return { package: pkg, status: "skipped", reason: "TypeScript migrations: add workspacePolicyMigration({ id, previous, next }) from @ydtb/db-access to the list" };
  }
  const folder = migrationsFolder(manifest)!;
  const journal = readJournal(folder);
  const current = readPolicyState(manifest);
  if (samePolicyState(current.state, desired)) return { package: pkg, status: "up-to-date", state: desired, ...(current.migration ? { migration: current.migration } : {}) };
  if (!journal || journal.entries.length === 0) {
    throw new DbAccessError("NO_MIGRATIONS_FOLDER", `"${pkg}" has tables but no drizzle-kit migrations in ${folder}; run \`bunx drizzle-kit generate\` in the package first (\`bun run db:generate\` does both).`);
  }
  const last = journal.entries.reduce((a, b) => (b.idx > a.idx ? b : a));
  const idx = last.idx + 1;
  const migration = `${pad(idx)}_${options.name ?? DEFAULT_POLICY_MIGRATION_NAME}`;
  if (options.dryRun) return { package: pkg, status: "needed", previous: current.state, state: desired, migration, files: [] };
  const { up, down } = policyMigrationSql(current.state, desired);
  const snapshot = latestSnapshot(folder, idx);
  const files: string[] = [];
  const write = (file: string, text: string) => {
    writeFileSync(file, text);
    files.push(file);
  };
  write(join(folder, `${migration}.sql`), up);
  write(join(folder, `${migration}.down.sql`), down);
  write(join(folder, "meta", `${pad(idx)}_snapshot.json`), JSON.stringify({ ...snapshot, id: crypto.randomUUID(), prevId: snapshot.id }, null, 2));
  const when = Math.max(options.now ?? Date.now(), last.when + 1);
  const entries = [...journal.entries, { idx, version: last.version, when, tag: migration, breakpoints: true }];
  write(join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }, null, 2));
  return { package: pkg, status: "written", previous: current.state, state: desired, migration, files };
}

/** The newest drizzle-kit snapshot before `idx`: the schema the new migration leaves as it is. */
function latestSnapshot(folder: string, idx: number): { readonly id: string } & Record<string, unknown> {
  const meta = join(folder, "meta");
  const numbers = existsSync(meta)
    ? readdirSync(meta)
        .map((f) => /^(\d{4})_snapshot\.json$/.exec(f)?.[1])
        .filter((n): n is string => n !== undefined)
        .map(Number)
        .filter((n) => n < idx)
    : [];
  if (numbers.length === 0) {
    throw new DbAccessError("NO_MIGRATIONS_FOLDER", `${meta} holds no drizzle-kit snapshot; run \`bunx drizzle-kit generate\` in the package first.`);
  }
  const file = join(meta, `${pad(Math.max(...numbers))}_snapshot.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as { id: string } & Record<string, unknown>;
  } catch (error) {
    throw new DbAccessError("INVALID_JOURNAL", `${file} is not a drizzle-kit snapshot (${(error as Error).message}); restore it from version control.`, { cause: error });
  }
}
