import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePolicyMigration, POLICY_NAME } from "@ydtb/db-access";
import { bindManifest, defineDatabase, type DatabaseManifest, type Diagnostic, type SuggestedFix } from "@ydtb/db-registry";
import { migrate } from "@ydtb/db-migrate";
import { describeDatabases } from "@ydtb/test-db";
import { validateManifest } from "../src/index.ts";
import { renderFixes } from "../src/suggested-fix.ts";
import { FIXTURES_DIR, REGISTERED } from "./fix-harness.ts";
import * as schema from "./fixtures/fixes/rls/schema.ts";

// The workspace-rls fix is a command, `bun run db:generate`: drizzle-kit generate, then
// `ydtb-db-access generate`. The fixture package has drizzle-kit's migration already, so the
// command's remaining step, generatePolicyMigration, is run on a copy of it; the copy then
// validates clean for the rule and migrates through our engine on PGlite and the server.

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const packageAt = (dir: string): DatabaseManifest =>
  bindManifest(defineDatabase({ packageName: "@ydtb/fxrls", version: "1.0.0", schema, migrations: "./drizzle", dependencies: { "@ydtb/core": "*" } }), { packageDir: dir });

/** What a `command` edit does, mechanically: the commands the rules' fixes name, run on `manifest`'s folder. */
function runFix(manifest: DatabaseManifest, fixes: readonly SuggestedFix[]): void {
  for (const edit of fixes.flatMap((f) => f.edits)) {
    if (edit.kind !== "command" || edit.command !== "bun run db:generate") throw new Error(`cannot apply ${JSON.stringify(edit)} here`);
    // db:generate is drizzle-kit generate (its migration is the fixture's), then ydtb-db-access generate.
    const result = generatePolicyMigration(manifest);
    if (result.status !== "written") throw new Error(`bun run db:generate wrote nothing for ${manifest.packageName}: ${result.status}`);
  }
}

const rlsOf = (m: DatabaseManifest) => validateManifest(m, REGISTERED).diagnostics.filter((d: Diagnostic) => d.rule === "workspace-rls");
const dir = mkdtempSync(join(tmpdir(), "ydtb-rls-fix-"));
made.push(dir);
cpSync(join(FIXTURES_DIR, "rls"), dir, { recursive: true });
const before = rlsOf(packageAt(dir));
const errorsBefore = validateManifest(packageAt(dir), REGISTERED).diagnostics.filter((d) => d.severity === "error").length;
// One fix per package: the command covers every table it reports.
runFix(packageAt(dir), before[0]?.fixes ?? []);
const fixed = packageAt(dir);

describe("workspace-rls: the fix is `bun run db:generate`, as data, run on the fixture package", () => {
  test("the fixture trips the rule with the command as its fix; after it, the rule is clean and no error is new", () => {
    expect(before.map((d) => [d.table, d.suggestion])).toEqual([["ydtb_fxrls_items", "bun run db:generate"]]);
    expect(before[0]?.suggestion).toBe(renderFixes(before[0]?.fixes ?? []));
    expect(rlsOf(fixed).map((d) => d.message)).toEqual([]);
    expect(validateManifest(fixed, REGISTERED).diagnostics.filter((d) => d.severity === "error").length).toBe(errorsBefore - before.length);
  });
});

describeDatabases("the generated policy migration runs through our engine", (target) => {
  test("the table gets row-level security, forced, with the workspace policy", async () => {
    const db = await target.fresh();
    const result = await migrate(db, [REGISTERED[0] as DatabaseManifest, fixed]);
    expect(result.failed).toBe(0);
    expect(result.steps.filter((s) => s.package === "@ydtb/fxrls").map((s) => s.status)).toEqual(["applied", "applied"]);
    expect(
      await db.query<{ rls: boolean; forced: boolean; policies: number }>(
        `SELECT c.relrowsecurity AS rls, c.relforcerowsecurity AS forced, (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = $1) AS policies
           FROM pg_class c WHERE c.relname = 'ydtb_fxrls_items'`,
        [POLICY_NAME],
      ),
    ).toEqual([{ rls: true, forced: true, policies: 1 }]);
  });
});
