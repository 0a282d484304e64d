import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { getTableName } from "drizzle-orm";
import { DiscoveryError, discoverDatabases, discoverDatabasesOrThrow, findDatabasePackages, migrationsFolder } from "../src/index.ts";

const registryEntry = resolve(import.meta.dir, "../src/index.ts");
// Inside the repository, so the fixtures' imports of drizzle-orm resolve through its node_modules.
const tmpRoot = resolve(import.meta.dir, "../../../.tmp");
mkdirSync(tmpRoot, { recursive: true });
const root = mkdtempSync(join(tmpRoot, "discover-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string) {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text);
}

const manifestSource = (name: string, short: string) => `
import { pgTable, text, varchar } from "drizzle-orm/pg-core";
import { defineDatabase } from ${JSON.stringify(registryEntry)};
export default defineDatabase({
  packageName: ${JSON.stringify(name)},
  version: "1.0.0",
  schema: { t: pgTable("ydtb_${short}_t", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").primaryKey() }) },
  migrations: "./drizzle",
});
`;

write("package.json", JSON.stringify({ name: "root", private: true, workspaces: ["packages/*", "apps/*"] }));
write("packages/alpha/package.json", JSON.stringify({ name: "@ydtb/alpha" }));
write("packages/alpha/src/database.ts", manifestSource("@ydtb/alpha", "alpha"));
write("packages/beta/package.json", JSON.stringify({ name: "@ydtb/beta", ydtb: { database: "db/manifest.ts" } }));
write("packages/beta/db/manifest.ts", manifestSource("@ydtb/beta", "beta"));
write("packages/broken/package.json", JSON.stringify({ name: "@ydtb/broken" }));
write("packages/broken/src/database.ts", `import { nothing } from "./missing-module.ts";\nexport default nothing;\n`);
write("packages/plain/package.json", JSON.stringify({ name: "@ydtb/plain" }));
write("packages/plain/src/index.ts", "export const x = 1;\n");
write("packages/not-default/package.json", JSON.stringify({ name: "@ydtb/not-default" }));
write("packages/not-default/src/database.ts", "export const manifest = {};\n");
write("apps/web/package.json", JSON.stringify({ name: "web" }));


describe("discoverDatabases", () => {
  test("finds every workspace package that declares a manifest, with no hand-kept list", () => {
    expect(findDatabasePackages(root).map((p) => p.name)).toEqual(["@ydtb/alpha", "@ydtb/beta", "@ydtb/broken", "@ydtb/not-default"]);
  });

  test("imports the manifests and reports each failure with its file and cause", async () => {
    const result = await discoverDatabases(root);
    expect(result.manifests.map((m) => m.packageName)).toEqual(["@ydtb/alpha", "@ydtb/beta"]);
    const alpha = result.manifests[0]!;
    expect(alpha.packageDir).toBe(join(root, "packages/alpha"));
    expect(migrationsFolder(alpha)).toBe(join(root, "packages/alpha/drizzle"));
    expect(result.failures.map((f) => [f.packageName, f.file])).toEqual([
      ["@ydtb/broken", join(root, "packages/broken/src/database.ts")],
      ["@ydtb/not-default", join(root, "packages/not-default/src/database.ts")],
    ]);
    expect(result.failures[0]?.cause).toBeInstanceOf(Error);
  });

  test("discoverDatabasesOrThrow throws one error naming every failed package", async () => {
    let error: unknown;
    try {
      await discoverDatabasesOrThrow(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).code).toBe("DISCOVERY_FAILED");
    expect((error as DiscoveryError).failures.map((f) => f.packageName)).toEqual(["@ydtb/broken", "@ydtb/not-default"]);
  });

  test("fresh discovery sees an edited schema module and recovers from a module that failed to load", async () => {
    const dir = "packages/fresh";
    write(`${dir}/package.json`, JSON.stringify({ name: "@ydtb/fresh" }));
    const schema = (table: string) =>
      `import { pgTable, text, varchar } from "drizzle-orm/pg-core";\nexport const t = pgTable("${table}", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id") });\n`;
    write(`${dir}/src/schema.ts`, schema("ydtb_fresh_one"));
    write(
      `${dir}/src/database.ts`,
      `import { defineDatabase } from ${JSON.stringify(registryEntry)};\nimport * as schema from "./schema.ts";\nexport default defineDatabase({ packageName: "@ydtb/fresh", version: "1.0.0", schema, migrations: [] });\n`,
    );
    const tables = async (options: { fresh?: boolean }) =>
      (await discoverDatabases(root, options)).manifests.find((m) => m.packageName === "@ydtb/fresh")?.tables.map((t) => getTableName(t));
    expect(await tables({})).toEqual(["ydtb_fresh_one"]);

    write(`${dir}/src/schema.ts`, schema("ydtb_fresh_two"));
    expect(await tables({})).toEqual(["ydtb_fresh_one"]); // the module cache, as in production
    expect(await tables({ fresh: true })).toEqual(["ydtb_fresh_two"]);

    write(`${dir}/src/schema.ts`, "export const = broken;\n");
    expect((await discoverDatabases(root, { fresh: true })).failures.map((f) => f.packageName)).toContain("@ydtb/fresh");
    write(`${dir}/src/schema.ts`, schema("ydtb_fresh_three"));
    expect(await tables({ fresh: true })).toEqual(["ydtb_fresh_three"]);
    rmSync(join(root, dir), { recursive: true, force: true });
  });

  test("fresh discovery leaves a package's installed modules (node_modules) in the cache", async () => {
    const dir = "packages/counted";
    write(`${dir}/package.json`, JSON.stringify({ name: "@ydtb/counted" }));
    write(`${dir}/node_modules/counter/package.json`, JSON.stringify({ name: "counter", main: "index.js" }));
    write(`${dir}/node_modules/counter/index.js`, "globalThis.__ydtbCounterLoads = (globalThis.__ydtbCounterLoads ?? 0) + 1;\nmodule.exports = 1;\n");
    write(`${dir}/src/database.ts`, `import "counter";\n${manifestSource("@ydtb/counted", "counted")}`);
    const loads = () => (globalThis as { __ydtbCounterLoads?: number }).__ydtbCounterLoads;
    await discoverDatabases(root);
    expect(loads()).toBe(1);
    expect((await discoverDatabases(root, { fresh: true })).manifests.map((m) => m.packageName)).toContain("@ydtb/counted");
    expect(loads()).toBe(1);
    rmSync(join(root, dir), { recursive: true, force: true });
  });

  test("the real workspace discovers @ydtb/core", async () => {
    const result = await discoverDatabases(resolve(import.meta.dir, "../../.."));
    expect(result.failures).toEqual([]);
    expect(result.manifests.map((m) => m.packageName)).toContain("@ydtb/core");
  });
});

describe("discoverDatabases: a package.json naming a missing manifest file", () => {
  test("is reported as a failure with that file, not skipped", async () => {
    write("packages/ghost/package.json", JSON.stringify({ name: "@ydtb/ghost", ydtb: { database: "db/nowhere.ts" } }));
    try {
      expect(findDatabasePackages(root).map((p) => p.name)).toContain("@ydtb/ghost");
      const result = await discoverDatabases(root);
      const ghost = result.failures.find((f) => f.packageName === "@ydtb/ghost");
      expect(ghost?.file).toBe(join(root, "packages/ghost/db/nowhere.ts"));
      expect(result.manifests.map((m) => m.packageName)).not.toContain("@ydtb/ghost");
    } finally {
      rmSync(join(root, "packages/ghost"), { recursive: true, force: true });
    }
  });
});

describe("findDatabasePackages with a deep glob", () => {
  test("skips packages inside ignored folders (an installed copy under node_modules)", () => {
    const deep = mkdtempSync(join(tmpRoot, "deep-"));
    try {
      const put = (path: string, text: string) => {
        mkdirSync(join(deep, path, ".."), { recursive: true });
        writeFileSync(join(deep, path), text);
      };
      put("package.json", JSON.stringify({ name: "root", workspaces: ["packages/**"] }));
      put("packages/alpha/package.json", JSON.stringify({ name: "@ydtb/alpha" }));
      put("packages/alpha/src/database.ts", manifestSource("@ydtb/alpha", "alpha"));
      put("packages/alpha/node_modules/@ydtb/copy/package.json", JSON.stringify({ name: "@ydtb/copy" }));
      put("packages/alpha/node_modules/@ydtb/copy/src/database.ts", manifestSource("@ydtb/copy", "copy"));
      put("packages/alpha/.data/x/package.json", JSON.stringify({ name: "@ydtb/data" }));
      put("packages/alpha/.data/x/src/database.ts", manifestSource("@ydtb/data", "data"));
      expect(findDatabasePackages(deep).map((p) => p.name)).toEqual(["@ydtb/alpha"]);
    } finally {
      rmSync(deep, { recursive: true, force: true });
    }
  });
});

describe("findDatabasePackages with a simple dir/* glob (listed with one readdir)", () => {
  test("finds what Bun.Glob finds: no dot folder, symlinked folder or folder named package.json; a missing folder matches nothing", () => {
    const ws = mkdtempSync(join(tmpRoot, "simple-"));
    try {
      const put = (path: string, text: string) => {
        mkdirSync(join(ws, path, ".."), { recursive: true });
        writeFileSync(join(ws, path), text);
      };
      put("package.json", JSON.stringify({ name: "root", workspaces: ["packages/*", "./tools/*/", "missing/*"] }));
      for (const name of ["alpha", ".hidden", "node_modules"]) {
        put(`packages/${name}/package.json`, JSON.stringify({ name: `@ydtb/${name}` }));
        put(`packages/${name}/src/database.ts`, manifestSource(`@ydtb/${name}`, "t"));
      }
      put("packages/declared/package.json", JSON.stringify({ name: "@ydtb/declared", ydtb: { database: "db.ts" } }));
      put("packages/plain/package.json", JSON.stringify({ name: "@ydtb/plain" }));
      put("packages/folder/src/database.ts", manifestSource("@ydtb/folder", "t"));
      mkdirSync(join(ws, "packages/folder/package.json"));
      put("elsewhere/linked/package.json", JSON.stringify({ name: "@ydtb/linked" }));
      put("elsewhere/linked/src/database.ts", manifestSource("@ydtb/linked", "t"));
      symlinkSync(join(ws, "elsewhere/linked"), join(ws, "packages/linked"));
      put("tools/beta/package.json", JSON.stringify({ name: "@ydtb/beta" }));
      put("tools/beta/src/database.ts", manifestSource("@ydtb/beta", "t"));
      const read = new Map<string, Uint8Array>();
      const found = findDatabasePackages(ws, read);
      expect(found.map((p) => p.name)).toEqual(["@ydtb/alpha", "@ydtb/declared", "@ydtb/beta"]);
      expect(findDatabasePackages(ws).map((p) => p.file)).toEqual(found.map((p) => p.file));
      // The bytes read on the way, for the boot stamp's digest: each package.json and each default manifest found.
      expect(Buffer.from(read.get(join(ws, "packages/alpha/src/database.ts"))!).toString()).toBe(manifestSource("@ydtb/alpha", "t"));
      expect([...read.keys()].filter((k) => k.endsWith("package.json")).length).toBe(4);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
