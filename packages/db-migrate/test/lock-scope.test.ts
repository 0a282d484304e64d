import { afterAll, expect, test } from "bun:test";
import { closeTestServer, createTestDatabase, describeServer } from "@ydtb/test-db";
import { LockTimeoutError, migrate, withMigrationLock } from "../src/index.ts";
import { coreManifest } from "./fixtures/fixture-packages.ts";

afterAll(closeTestServer);

describeServer("what the migration lock covers", () => {
  test("one database and one history table: another database, or another history table, is not blocked", async () => {
    const a = await createTestDatabase("postgres");
    const b = await createTestDatabase("postgres");
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let held!: () => void;
      const isHeld = new Promise<void>((r) => (held = r));
      const holding = withMigrationLock(a, {}, async () => {
        held();
        await gate;
      });
      await isHeld;
      try {
        // PostgreSQL scopes advisory locks to their database; the key names it as well.
        expect((await migrate(b, [coreManifest], { lockTimeoutMs: 5_000 })).applied).toBe(3);
        expect(await withMigrationLock(a, { historyTable: "fx_other_history", lockTimeoutMs: 5_000 }, async () => "other table")).toBe("other table");
        const same = await withMigrationLock(a, { lockTimeoutMs: 200 }, async () => "ran").catch((e: unknown) => e);
        expect(same).toBeInstanceOf(LockTimeoutError);
      } finally {
        release();
        await holding;
      }
    } finally {
      await a.dispose();
      await b.dispose();
    }
  }, 60_000);
});
