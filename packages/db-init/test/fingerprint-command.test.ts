import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../src/index.ts";
import { captureIO, copyWorkspace, removeWorkspace } from "./helpers.ts";

const root = copyWorkspace({ packages: ["db-core", "basic"] });
afterAll(() => removeWorkspace(root));
const fingerprintFile = join(root, "packages/basic/drizzle/meta/_ydtb_fingerprint.json");

interface Fingerprints {
  ok: boolean;
  fingerprints: { package: string; status: string; changed: string[]; file?: string }[];
}

async function run(...args: string[]) {
  const c = captureIO();
  const code = await runCli([...args, "--root", root], c.io);
  return { code, c };
}

describe("ydtb-db fingerprint and validate", () => {
  test("the shipped folders carry current fingerprints; an edited migration makes validate fail until it is rewritten", async () => {
    const clean = await run("validate", "--json", "--package", "@ydtb/basic");
    expect(clean.code).toBe(0);
    expect(clean.c.json<Fingerprints>().fingerprints).toEqual([{ package: "@ydtb/basic", status: "current", changed: [], file: fingerprintFile }]);

    appendFileSync(join(root, "packages/basic/drizzle/0001_pinned.sql"), "\nSELECT 1;");
    const stale = await run("validate", "--json", "--package", "@ydtb/basic");
    expect(stale.code).toBe(1);
    expect(stale.c.json<Fingerprints>()).toMatchObject({ ok: false, fingerprints: [{ package: "@ydtb/basic", status: "stale", changed: ["0001_pinned"] }] });

    const written = await run("fingerprint", "--json", "--package", "@ydtb/basic");
    expect([written.code, written.c.json<unknown>()]).toEqual([0, [{ package: "@ydtb/basic", file: fingerprintFile }]]);
    const again = await run("validate", "--json", "--package", "@ydtb/basic");
    expect([again.code, again.c.json<Fingerprints>().fingerprints[0]!.status]).toEqual([0, "current"]);
  });

  test("a missing fingerprint is a note, not a failure; fingerprint writes it", async () => {
    rmSync(fingerprintFile);
    const missing = await run("validate", "--json", "--package", "@ydtb/basic");
    expect([missing.code, missing.c.json<Fingerprints>().fingerprints[0]!.status]).toEqual([0, "missing"]);
    await run("fingerprint", "--package", "@ydtb/basic");
    expect(existsSync(fingerprintFile)).toBe(true);
  });
});
