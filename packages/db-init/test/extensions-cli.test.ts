// Manifest extensions on PGlite where users meet them: the command line (which discovers the
// manifests before it opens the directory) and the test helper — not only a hand-made instance.
import { afterAll, expect, test } from "bun:test";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "@ydtb/db-client";
import { createPgliteDataDir, createTestDatabase } from "@ydtb/test-db";
import { runCli } from "../src/index.ts";
import { addPackage, captureIO, copyWorkspace, removeWorkspace } from "./helpers.ts";

const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) removeWorkspace(dir);
});

/**
 * A workspace copy with `@ydtb/search`, whose first migration builds a trigram index, and a
 * PGlite directory seeded from the empty snapshot (initdb into a directory took 28-44 s on a
 * loaded 2-core machine; extension modules live outside the data directory, so the command
 * loads them the same either way).
 */
async function searchWorkspace(declareExtension: boolean): Promise<{ root: string; dataDir: string }> {
  const root = copyWorkspace({ packages: ["db-core", "basic"] });
  const dataDir = await createPgliteDataDir("ydtb-ext-cli-");
  cleanup.push(root, dataDir);
  addPackage(root, "search");
  const pkg = join(root, "packages", "search");
  appendFileSync(
    join(pkg, "drizzle", "0000_init.sql"),
    `\n--> statement-breakpoint\nCREATE INDEX "ydtb_search_items_title_trgm_idx" ON "ydtb_search_items" USING gin ("title" gin_trgm_ops);`,
  );
  if (declareExtension) {
    const manifest = join(pkg, "src", "database.ts");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace(`migrations: "./drizzle",`, `migrations: "./drizzle",\n  extensions: ["pg_trgm"],`));
  }
  return { root, dataDir };
}

test("ydtb-db migrate on PGlite loads a manifest's extension and builds the index that needs it", async () => {
  const { root, dataDir } = await searchWorkspace(true);
  const c = captureIO({ NODE_ENV: "test" });
  const code = await runCli(["migrate", "--json", "--root", root, "--data-dir", dataDir], c.io);
  expect({ code, err: c.err.join("\n") }).toEqual({ code: 0, err: "" });
  expect(c.json<{ ok: boolean }>().ok).toBe(true);

  const db = await openDatabase({ dataDir, extensions: ["pg_trgm"] });
  try {
    const rows = await db.query<{ ext: number; idx: number }>(
      `SELECT (SELECT count(*)::int FROM pg_extension WHERE extname = 'pg_trgm') AS ext,
              (SELECT count(*)::int FROM pg_indexes WHERE indexname = 'ydtb_search_items_title_trgm_idx') AS idx`,
    );
    expect(rows[0]).toEqual({ ext: 1, idx: 1 });
  } finally {
    await db.close();
  }
}, 120_000);

test("without `extensions` in the manifest the same migration fails on PGlite, and nothing of it stays", async () => {
  const { root, dataDir } = await searchWorkspace(false);
  const c = captureIO({ NODE_ENV: "test" });
  const code = await runCli(["migrate", "--json", "--root", root, "--data-dir", dataDir], c.io);
  expect(code).toBe(1);
  const out = c.json<{ ok: boolean; error: { code: string } }>();
  expect(out.ok).toBe(false);
  expect(out.error.code).toBe("MIGRATION_FAILED");

  const db = await openDatabase({ dataDir });
  try {
    const rows = await db.query<{ t: string | null }>(`SELECT to_regclass('ydtb_search_items')::text AS t`);
    expect(rows[0]!.t).toBeNull();
  } finally {
    await db.close();
  }
}, 120_000);

test("the test helper's PGlite loads the extensions it is given", async () => {
  const db = await createTestDatabase("pglite", { extensions: ["pg_trgm"] });
  try {
    await db.exec("CREATE EXTENSION IF NOT EXISTS pg_trgm");
    const rows = await db.query<{ s: number }>(`SELECT similarity('workspace', 'workspaces') AS s`);
    expect(rows[0]!.s).toBeGreaterThan(0.5);
  } finally {
    await db.dispose();
  }
}, 60_000);
