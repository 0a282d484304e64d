import { afterAll, expect, test } from "bun:test";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describeDatabases } from "@ydtb/test-db";
import { InitFailedError, initDatabase } from "../src/index.ts";
import { copyWorkspace, removeWorkspace } from "./helpers.ts";

const copies: string[] = [];
afterAll(() => copies.forEach(removeWorkspace));

describeDatabases("initDatabase in development", (target) => {
  test("reads the migration files, not their fingerprints: an applied migration edited under the running app is refused at once", async () => {
    const db = await target.fresh();
    const root = copyWorkspace({ packages: ["db-core", "basic"] });
    copies.push(root);
    const first = await initDatabase({ db, rootDir: root, mode: "development" });
    expect([first.report.mode, first.report.applied, first.report.bootStamp]).toEqual(["development", 6, undefined]);
    // Edited after it was applied; its fingerprint still says it is current.
    appendFileSync(join(root, "packages/basic/drizzle/0000_notes.sql"), "\n-- an edit after the fact\n");
    let error: unknown;
    await initDatabase({ db, rootDir: root, mode: "development" }).catch((e: unknown) => (error = e));
    expect(error).toBeInstanceOf(InitFailedError);
    const report = (error as InitFailedError).report;
    expect([report.failedPhase, report.mode, report.applied]).toEqual(["migrate", "development", 0]);
    expect(report.error?.message).toContain('"@ydtb/basic" migration "0000_notes"');
    expect(report.error?.message).toContain("changed after it was applied");
  });
});
