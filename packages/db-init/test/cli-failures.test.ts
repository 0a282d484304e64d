import { afterAll, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "@ydtb/db-client";
import { createPgliteDataDir, createTestDatabase, describeServer } from "@ydtb/test-db";
import postgres from "postgres";
import { runCli } from "../src/index.ts";
import { captureIO, copyWorkspace, removeWorkspace, repoRoot } from "./helpers.ts";

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((f) => f()));

test("a syntax error in a manifest is reported with its file, line and cause", async () => {
  const ws = copyWorkspace({ packages: ["db-core", "basic"] });
  cleanup.push(() => removeWorkspace(ws));
  const file = join(ws, "packages/basic/src/database.ts");
  const lines = readFileSync(file, "utf8").split("\n");
  const at = lines.findIndex((l) => l.includes("defineDatabase({"));
  lines.splice(at + 1, 0, "  packageName: ,");
  writeFileSync(file, lines.join("\n"));

  const json = captureIO();
  expect(await runCli(["migrate", "--json", "--root", ws], json.io)).toBe(1);
  const out = json.json<{ ok: boolean; command: string; error: { code: string }; discoveryFailures: { package: string; file: string; causes: { location?: string; lineText?: string }[] }[] }>();
  expect(out).toMatchObject({ ok: false, command: "migrate", error: { code: "DISCOVERY_FAILED" } });
  const failure = out.discoveryFailures[0]!;
  expect(failure.package).toBe("@ydtb/basic");
  const located = failure.causes.find((c) => c.location);
  expect(located?.location?.startsWith(`${file}:${at + 2}:`)).toBe(true);
  expect(located?.lineText).toContain("packageName: ,");

  const text = captureIO();
  expect(await runCli(["status", "--root", ws], text.io)).toBe(1);
  expect(text.out.join("\n")).toContain(`at ${file}:${at + 2}:`);
});

test("an import that does not resolve is reported at the line that imports it", async () => {
  const ws = copyWorkspace({ packages: ["db-core", "basic"] });
  cleanup.push(() => removeWorkspace(ws));
  const file = join(ws, "packages/basic/src/database.ts");
  writeFileSync(file, `import "./gone.ts";\n${readFileSync(file, "utf8")}`);
  const c = captureIO();
  expect(await runCli(["status", "--json", "--root", ws], c.io)).toBe(1);
  const causes = c.json<{ discoveryFailures: { causes: { code?: string; location?: string }[] }[] }>().discoveryFailures[0]!.causes;
  expect(causes.find((x) => x.location)?.location?.startsWith(`${file}:1:`)).toBe(true);
});

test("--verbose adds the causes' stack traces; without it there are none", async () => {
  const dir = await createPgliteDataDir("ydtb-cli-busy-"); // seeded: spares an initdb into the directory
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const holder = await openDatabase({ dataDir: dir });
  try {
    const quiet = captureIO();
    expect(await runCli(["status", "--json", "--lock-timeout", "0", "--root", repoRoot, "--data-dir", dir], quiet.io)).toBe(1);
    expect(quiet.json<{ error: { code: string; causes: unknown[] } }>().error.code).toBe("DATABASE_IN_USE");
    expect(quiet.err).toEqual([]); // --lock-timeout 0: no wait, so no waiting message
    const loud = captureIO();
    expect(await runCli(["status", "--verbose", "--lock-timeout", "0", "--root", repoRoot, "--data-dir", dir], loud.io)).toBe(1);
    expect(loud.err.join("\n")).toMatch(/ydtb-db status failed \[DATABASE_IN_USE\][\s\S]*\n\s+at /);
    expect(quiet.out.join("\n")).not.toContain('"stack"');

    // A busy PGlite directory: the wait is announced at once, naming the holder, then bounded.
    const waiting = captureIO();
    expect(await runCli(["migrate", "--json", "--lock-timeout", "300", "--root", repoRoot, "--data-dir", dir], waiting.io)).toBe(1);
    expect(waiting.err[0]).toContain("waiting up to 300 ms for the PGlite directory");
    expect(waiting.err[0]).toContain(dir);
    expect(waiting.json<{ error: { code: string } }>().error.code).toBe("DATABASE_IN_USE");
  } finally {
    await holder.close();
  }
});

// PGlite's lock is in-process; its directory wait is tested above. Without a server this suite is
// reported as skipped.
describeServer("ydtb-db waits visibly for the migration lock", () => {
  test("a waiting message at once names the holder; the wait is bounded", async () => {
    const db = await createTestDatabase("postgres");
    const url = (db as unknown as { url: string }).url;
    const holder = postgres(url, { max: 1, connection: { application_name: "lock-holder-test" }, onnotice: () => {} });
    try {
      await holder`SELECT pg_advisory_lock(hashtextextended(current_database() || ':' || 'ydtb_schema_history', 0))`;
      const c = captureIO();
      expect(await runCli(["migrate", "--json", "--lock-timeout", "300", "--root", repoRoot, "--database-url", url], c.io)).toBe(1);
      expect(c.err[0]).toContain("waiting up to 300 ms for the migration lock");
      expect(c.err[0]).toContain('application "lock-holder-test"');
      expect(c.json<{ ok: boolean; command: string; error: { code: string } }>()).toMatchObject({ ok: false, command: "migrate", error: { code: "LOCK_TIMEOUT" } });
    } finally {
      await holder.end({ timeout: 2 });
      await db.dispose();
    }
  });
});
