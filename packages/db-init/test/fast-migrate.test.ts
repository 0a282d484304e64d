import { afterAll, expect, test } from "bun:test";
import { appendFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeServer } from "@ydtb/test-db";
import { fastMigrate } from "../src/stamp/fast-migrate.ts";
import { initDatabase, runCli, type InitReport } from "../src/index.ts";
import { addPackage, copyWorkspace, removeWorkspace } from "./helpers.ts";

const copies: string[] = [];
afterAll(() => copies.forEach(removeWorkspace));

const capture = (env: Record<string, string | undefined> = {}, cwd = "/") => {
  const out: string[] = [];
  return { out, io: { stdout: (t: string) => out.push(t), env, cwd } };
};

test("without a PostgreSQL URL the no-op shortcut steps aside at once (PGlite, another scheme, no URL)", async () => {
  expect(await fastMigrate(["migrate"], capture().io)).toBeUndefined();
  expect(await fastMigrate(["migrate"], capture({ DATABASE_URL: "mysql://root@127.0.0.1:1/x" }).io)).toBeUndefined();
  expect(await fastMigrate(["migrate", "--database-url", "file:///tmp/x"], capture().io)).toBeUndefined();
});

// The shortcut runs only on a server; without one this suite is reported as skipped.
describeServer("the no-op shortcut of ydtb-db migrate", () => {
  test("answers a stamped no-op from the stamp, for exactly the options it knows; anything else goes the full path", async () => {
    const db = await createTestDatabase("postgres");
    const url = (db as unknown as { url: string }).url;
    const root = copyWorkspace({ packages: ["db-core", "basic"] });
    copies.push(root);
    // packages/basic-x sorts after packages/basic as a folder, before it as a file path ("-" < "/").
    addPackage(root, "basicx");
    renameSync(join(root, "packages/basicx"), join(root, "packages/basic-x"));
    expect(await runCli(["fingerprint", "--root", root], capture().io as never)).toBe(0);
    try {
      const full = await initDatabase({ db, rootDir: root });
      expect(full.report.applied).toBe(8);
      const run = async (argv: string[], env: Record<string, string | undefined> = {}) => {
        const c = capture(env, join(root, "packages", "basic"));
        return { code: await fastMigrate(argv, c.io), out: c.out.join("\n") };
      };

      const json = await run(["migrate", "--json", "--root", root, "--database-url", url]);
      expect(json.code).toBe(0);
      const printed = JSON.parse(json.out) as { ok: boolean; command: string; report: InitReport };
      expect([printed.ok, printed.command, printed.report.bootStamp, printed.report.queryCount]).toEqual([true, "migrate", true, 1]);
      expect(printed.report.packages).toEqual(full.report.packages);
      // The URL from the environment, the root found from the working directory, inline values: the same answer.
      expect((await run(["migrate", "--json"], { DATABASE_URL: url })).code).toBe(0);
      expect((await run(["migrate", `--root=${root}`, `--database-url=${url}`])).code).toBe(0);
      const text = await run(["migrate"], { DATABASE_URL: url });
      expect(text.out.split("\n")[0]).toStartWith("ydtb-db: database ready (");
      expect(text.out).not.toContain('"ok"');

      // Another command, an option it does not know, a flag with a value, a missing value, a bad
      // YDTB_DB_STRICT_VERSIONS (the full path's usage error): the full path decides.
      const refused = [
        ["status", "--database-url", url],
        ["migrate", "--verbose", "--database-url", url],
        ["migrate", "--json=yes", "--database-url", url],
        ["migrate", "--database-url"],
        ["migrate", "--database-url", "--json"],
        ["migrate", "--root", "--json", "--database-url", url],
      ];
      for (const argv of refused) expect({ argv, code: (await run(argv)).code }).toEqual({ argv, code: undefined });
      expect((await run(["migrate"], { DATABASE_URL: url, YDTB_DB_STRICT_VERSIONS: "maybe" })).code).toBeUndefined();
      expect((await run(["migrate", "--root", join(root, "nope")], { DATABASE_URL: url })).code).toBeUndefined();

      // An edited manifest defeats the stamp; a full boot stamps the new inputs.
      appendFileSync(join(root, "packages/basic/src/database.ts"), "\n");
      expect((await run(["migrate"], { DATABASE_URL: url })).code).toBeUndefined();

      // A stamp written by a boot that did not sync tools does not answer the CLI, which syncs them.
      const quiet = await initDatabase({ db, rootDir: root, syncTools: false });
      expect(quiet.report.tools).toBeUndefined();
      expect((await run(["migrate"], { DATABASE_URL: url })).code).toBeUndefined();
    } finally {
      await db.dispose();
    }
  });
});
