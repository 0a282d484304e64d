import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openDatabase } from "@ydtb/db-client";
import { closeTestServer, createTestDatabase, databaseKinds, seedPgliteDataDir } from "@ydtb/test-db";
import { migrate } from "../src/index.ts";
import { basicManifest, coreManifest, removeTempDirs, tempDir } from "./fixtures/fixture-packages.ts";

const script = join(import.meta.dir, "fixtures/noop-boot.ts");

async function boot(where: string): Promise<{ fastPath: boolean; queryCount: number; applied: number; parserRequested: boolean }> {
  const proc = Bun.spawn(["bun", script, where], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`boot exited ${code}: ${err}`);
  return JSON.parse(out.trim());
}

describe("a no-op boot in a fresh process", () => {
  afterAll(async () => {
    removeTempDirs();
    await closeTestServer();
  });

  test("PGlite: answered from the versions table in 2 queries, without loading the SQL parser", async () => {
    const dir = join(tempDir(), "data");
    await seedPgliteDataDir(dir); // spares an initdb into the directory
    const db = await openDatabase({ dataDir: dir });
    await migrate(db, [coreManifest, basicManifest]);
    await db.close();
    expect(await boot(dir)).toEqual({ fastPath: true, queryCount: 2, applied: 0, parserRequested: false });
  }, 60_000);

  test.skipIf(!databaseKinds().includes("postgres"))("PostgreSQL: 4 queries (lock, ensure tables, versions, unlock), without loading the SQL parser", async () => {
    const db = await createTestDatabase("postgres");
    try {
      const first = await boot(db.url!);
      expect([first.applied, first.parserRequested]).toEqual([6, true]);
      expect(await boot(db.url!)).toEqual({ fastPath: true, queryCount: 4, applied: 0, parserRequested: false });
    } finally {
      await db.dispose();
    }
  }, 60_000);
});
