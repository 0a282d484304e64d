import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorCauses, formatCauses } from "../src/index.ts";

const built = (message: string, line: number) => Object.assign(new Error(message), { name: "BuildMessage", position: { file: "/repo/packages/x/src/database.ts", line, column: 4, lineText: `  bad line ${line}` } });

test("Bun's \"N errors building\" lists every inner error with its file and line", () => {
  const error = new Error("manifest failed", { cause: new AggregateError([built("Unexpected ;", 3), built("Expected }", 9)], "2 errors building") });
  const causes = errorCauses(error);
  expect(causes.map((c) => [c.message, c.location ?? null])).toEqual([
    ["manifest failed", null],
    ["2 errors building", null],
    ["Unexpected ;", "/repo/packages/x/src/database.ts:3:5"],
    ["Expected }", "/repo/packages/x/src/database.ts:9:5"],
  ]);
  const text = formatCauses(causes, false).join("\n");
  expect(text).toContain("caused by: Expected }\n    at /repo/packages/x/src/database.ts:9:5\n      bad line 9");
  expect(text).not.toContain("    at errorCauses"); // no stacks without --verbose
});

test("codes are kept along the chain, and a cycle ends", () => {
  const inner: Error & { code?: string; cause?: unknown } = Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
  const outer = Object.assign(new Error("cannot connect", { cause: inner }), { code: "CONNECT_FAILED" });
  inner.cause = outer;
  expect(errorCauses(outer).map((c) => c.code)).toEqual(["CONNECT_FAILED", "ECONNREFUSED"]);
});

test("a thrown string or plain object becomes a cause; a chain deeper than 8 causes is cut", () => {
  expect(errorCauses("boom")).toEqual([{ name: "Error", message: "boom" }]);
  expect(errorCauses({ code: "E_PLAIN", message: "plain" })).toEqual([{ code: "E_PLAIN", name: "Error", message: "plain" }]);
  expect(errorCauses(undefined)).toEqual([]);
  // Only a string is a code (a numeric errno is not printed as one).
  expect(Object.keys(errorCauses(Object.assign(new Error("n"), { code: 42 }))[0]!)).toEqual(["name", "message", "stack"]);
  let chain: Error = new Error("e0");
  for (let i = 1; i < 12; i++) chain = new Error(`e${i}`, { cause: chain });
  expect(errorCauses(chain).map((c) => c.message)).toEqual(["e11", "e10", "e9", "e8", "e7", "e6", "e5", "e4", "e3"]);
});

test("formatCauses: every cause after the first with its code, each location with its line; stacks only when verbose", () => {
  const causes = [
    { name: "Error", message: "outer", stack: "Error: outer\nat a" },
    { code: "E2", name: "Error", message: "inner", location: "/f.ts:3:5", lineText: "   bad  ", stack: "Error: inner" },
  ];
  expect(formatCauses(causes, false)).toEqual(["  caused by: [E2] inner", "    at /f.ts:3:5\n      bad"]);
  expect(formatCauses(causes, true)).toEqual(["    Error: outer\n    at a", "  caused by: [E2] inner", "    at /f.ts:3:5\n      bad", "    Error: inner"]);
});

test("an unresolved import is located at the line and column of its specifier, in either quotes; a vanished file has no location", () => {
  const dir = mkdtempSync(join(tmpdir(), "ydtb-import-site-"));
  try {
    const file = join(dir, "database.ts");
    writeFileSync(file, `import { a } from "./a.ts";\nimport x from './gone.ts';\nexport default x;\n`);
    const resolveError = (specifier: string, referrer: string) => Object.assign(new Error(`Cannot find module '${specifier}'`), { name: "ResolveMessage", specifier, referrer });
    expect(errorCauses(resolveError("./gone.ts", file))).toEqual([
      { name: "ResolveMessage", message: "Cannot find module './gone.ts'", location: `${file}:2:15`, lineText: "import x from './gone.ts';", stack: expect.any(String) },
    ]);
    expect(errorCauses(resolveError("./a.ts", file))[0]).toMatchObject({ location: `${file}:1:19`, lineText: `import { a } from "./a.ts";` });
    expect(errorCauses(resolveError("./elsewhere.ts", file))[0]!.location).toBeUndefined();
    expect(errorCauses(resolveError("./gone.ts", join(dir, "vanished.ts")))[0]!.location).toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
