import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DiscoveryError, findDatabasePackages, packageDirOf, schemaEntities } from "../src/index.ts";
import { manifest } from "./builders.ts";

// Discovery's file handling at its edges, and errors' words: no database.

const tmpRoot = resolve(import.meta.dir, "../../../.tmp");
mkdirSync(tmpRoot, { recursive: true });
const root = mkdtempSync(join(tmpRoot, "find-packages-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const put = (path: string, text: string) => {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text);
};

describe("findDatabasePackages", () => {
  test("a folder without package.json is no package; a package.json that cannot be read for another reason is an error", () => {
    put("package.json", JSON.stringify({ workspaces: ["packages/*"] }));
    put("packages/a/package.json", JSON.stringify({ name: "@ydtb/a" }));
    put("packages/a/src/database.ts", "export default 1;\n");
    mkdirSync(join(root, "packages/empty/src"), { recursive: true });
    expect(findDatabasePackages(root).map((p) => p.name)).toEqual(["@ydtb/a"]);
    mkdirSync(join(root, "packages/loop"));
    symlinkSync(join(root, "packages/loop/package.json"), join(root, "packages/loop/package.json"));
    expect(() => findDatabasePackages(root)).toThrow(expect.objectContaining({ code: "ELOOP" }));
    rmSync(join(root, "packages/loop"), { recursive: true, force: true });
  });
});

describe("findDatabasePackages with dir/* patterns that match nothing", () => {
  test("a parent outside the root or in an ignored folder, a file, and ignored child folders", () => {
    const ws = mkdtempSync(join(tmpRoot, "find-patterns-"));
    try {
      const at = (path: string, text: string) => {
        mkdirSync(join(ws, path, ".."), { recursive: true });
        writeFileSync(join(ws, path), text);
      };
      const pkg = (dir: string) => {
        at(`${dir}/package.json`, JSON.stringify({ name: `@ydtb/${dir.split("/").pop()}` }));
        at(`${dir}/src/database.ts`, "export default 1;\n");
      };
      at("package.json", JSON.stringify({ workspaces: ["../*", "node_modules/*", "dist/*", "file.txt/*", "packages/*", "./libs/*"] }));
      at("file.txt", "not a folder");
      // The root itself looks like a package: "../*" would find it from its parent.
      at("src/database.ts", "export default 1;\n");
      for (const dir of ["node_modules/x", "dist/y", "packages/dist", "packages/.hidden", "packages/ok", "libs/lib"]) pkg(dir);
      expect(findDatabasePackages(ws).map((p) => p.name)).toEqual(["@ydtb/lib", "@ydtb/ok"]);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});

describe("packageDirOf", () => {
  test("no package.json up to the file system's root: undefined", () => {
    expect(packageDirOf("/ydtb-no-such-dir/deeper/file.ts")).toBeUndefined();
  });
});

describe("schemaEntities", () => {
  test("null and undefined exports are ignored like any other non-Drizzle value", () => {
    const m = manifest({ schema: { ...manifest().schema, nothing: null, missing: undefined } });
    expect(schemaEntities(m.schema).unknown).toEqual(["nothing", "missing"]);
  });
});

describe("DiscoveryError", () => {
  test("counts its failures, singular and plural", () => {
    const failure = (name: string) => ({ packageName: name, file: `/r/${name}/src/database.ts`, message: "boom", cause: undefined });
    expect(new DiscoveryError([failure("a")]).message.split("\n")[0]).toBe("1 package manifest failed to load:");
    expect(new DiscoveryError([failure("a"), failure("b")]).message.split("\n")).toEqual([
      "2 package manifests failed to load:",
      '  - "a" (/r/a/src/database.ts): boom',
      '  - "b" (/r/b/src/database.ts): boom',
    ]);
  });
});
