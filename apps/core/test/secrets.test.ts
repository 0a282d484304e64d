import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { openDatabase, type Database } from "@ydtb/db-client";
import { serverUrl } from "@ydtb/test-db";
import { baseEnv, boot } from "./boot-helpers.ts";

// A password only makes sense in a server URL: skipped (reported) without a server.
const server = serverUrl();
const repoRoot = resolve(import.meta.dir, "../../..");
const bin = resolve(repoRoot, "packages/db-init/src/bin.ts");

describe.skipIf(!server)("no password in any output [postgres]", () => {
  const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const role = `ydtb_secret_role_${suffix}`;
  const dbName = `ydtb_secret_db_${suffix}`;
  // Distinctive, and with characters that need percent-encoding in a URL.
  const password = `Pw${suffix}Zq:9/x`;
  const encoded = encodeURIComponent(password);
  let admin: Database;
  const urlFor = (database: string, hostPort = "") => {
    const u = new URL(server!);
    return `postgres://${role}:${encoded}@${hostPort || u.host}/${database}`;
  };
  const outputs: { what: string; text: string }[] = [];
  const record = (what: string, text: string) => outputs.push({ what, text });

  beforeAll(async () => {
    admin = await openDatabase({ url: server! });
    await admin.exec(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    await admin.exec(`CREATE DATABASE "${dbName}" OWNER "${role}"`);
  });
  afterAll(async () => {
    await admin.exec(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.exec(`DROP ROLE IF EXISTS "${role}"`);
    await admin.close();
  });

  const cli = async (args: string[], url: string) => {
    const child = Bun.spawn(["bun", bin, ...args], { cwd: repoRoot, env: { ...baseEnv(), DATABASE_URL: url, NODE_ENV: "development" }, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    record(`ydtb-db ${args.join(" ")} (exit ${code})`, out + err);
    return code;
  };

  test("succeeding and failing app boots, the command line, the status and the history never show the password", async () => {
    const good = urlFor(dbName);
    // Everything at once (boots racing on one database are safe): the test's wall time stays short.
    // App, succeeding, in development (status shows the database) and production (hidden).
    const succeeding = ["development", "production"].map(async (nodeEnv) => {
      const app = await boot({ ...baseEnv(), DATABASE_URL: good, NODE_ENV: nodeEnv });
      try {
        const status = await fetch(`${app.base}/api/db/status`);
        expect(status.status).toBe(200);
        record(`GET /api/db/status (${nodeEnv})`, await status.text());
      } finally {
        app.child.kill("SIGTERM");
      }
      expect(await app.finished()).toBe(0);
      record(`app boot (${nodeEnv})`, app.output.text);
    });
    // App, failing: no such database, refused port, unparseable URL, another scheme.
    const failing = [urlFor(`${dbName}_missing`), urlFor(dbName, "127.0.0.1:1"), urlFor(dbName, "127.0.0.1:port"), urlFor(dbName).replace(/^postgres:/, "mysql:")];
    const failingBoots = failing.map(async (url) => {
      const app = await boot({ ...baseEnv(), DATABASE_URL: url });
      expect(await app.finished()).not.toBe(0);
      record(`failing app boot ${url.split("@")[1]}`, app.output.text);
    });
    // Command line, succeeding and failing.
    const commands = [
      ...[["migrate", "--json"], ["migrate"], ["status", "--json"], ["status"]].map(async (args) => expect(await cli(args, good)).toBe(0)),
      ...failing.flatMap((url) => [["migrate"], ["status", "--json"]].map(async (args) => expect(await cli(args, url)).not.toBe(0))),
    ];
    await Promise.all([...succeeding, ...failingBoots, ...commands]);
    // What the boot wrote to the database.
    const db = await openDatabase({ url: urlFor(dbName) });
    try {
      const history = await db.query<{ row: string }>("SELECT row_to_json(h)::text AS row FROM ydtb_schema_history h");
      expect(history.length).toBeGreaterThan(0);
      record("ydtb_schema_history", history.map((h) => h.row).join("\n"));
    } finally {
      await db.close();
    }

    // Every output was read, and each says something (not an empty pass).
    expect(outputs.length).toBe(2 + 2 + failing.length + 4 + 2 * failing.length + 1);
    for (const { what, text } of outputs) {
      expect([what, text.length > 0]).toEqual([what, true]);
      const leaks = [password, encoded].filter((secret) => text.includes(secret));
      expect([what, leaks]).toEqual([what, []]);
    }
  });
});
