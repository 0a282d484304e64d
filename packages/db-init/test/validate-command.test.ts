import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../src/index.ts";
import { captureIO, copyWorkspace, removeWorkspace } from "./helpers.ts";

// A workspace with core, basic and @ydtb/loose: a global unique (error), undescribed columns
// (documentation warnings), and a dependency on a package nobody provides (dependency-graph).
const root = copyWorkspace({ packages: ["db-core", "basic"] });
afterAll(() => removeWorkspace(root));
const dir = join(root, "packages", "loose");
mkdirSync(join(dir, "src"), { recursive: true });
writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "@ydtb/loose", version: "0.1.0", private: true, type: "module" }));
writeFileSync(
  join(dir, "src", "database.ts"),
  `import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { workspaceIdColumn, workspaces } from "@ydtb/db-core";
import { defineDatabase } from "@ydtb/db-registry";
export const links = pgTable("ydtb_loose_links", {
  workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" }),
  id: text("id").notNull(),
  code: text("code").notNull().unique(),
  target: text("target").notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
export const STATUSES = ["a", "b"] as const;
export default defineDatabase({
  packageName: "@ydtb/loose",
  version: "0.1.0",
  schema: { links, STATUSES },
  migrations: [],
  dependencies: ["@ydtb/core", "@ydtb/nowhere"],
});
`,
);

interface Report {
  ok: boolean;
  errorCount: number;
  warningCount: number;
  packages: { package: string; ok: boolean; errorCount: number; warningCount: number; diagnostics: { rule: string; severity: string; table?: string }[]; ignoredExports: string[] }[];
}

async function validate(...args: string[]) {
  const c = captureIO();
  const code = await runCli(["validate", "--root", root, ...args], c.io);
  return { code, c };
}

describe("ydtb-db validate", () => {
  test("--package reports that package only, with its own totals and ok", async () => {
    const { code, c } = await validate("--json", "--package", "@ydtb/basic");
    const report = c.json<Report>();
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.packages.map((p) => [p.package, p.ok, p.errorCount])).toEqual([["@ydtb/basic", true, 0]]);
    expect(report.errorCount).toBe(0);

    const loose = await validate("--json", "--package", "@ydtb/loose");
    const looseReport = loose.c.json<Report>();
    expect(loose.code).toBe(1);
    expect(looseReport.packages.map((p) => p.package)).toEqual(["@ydtb/loose"]);
    expect(looseReport.packages[0]?.ok).toBe(false);
    expect(looseReport.errorCount).toBe(looseReport.packages[0]?.errorCount ?? -1);
    expect(looseReport.packages[0]?.ignoredExports).toEqual(["STATUSES"]);
  });

  test("reports the dependency graph: the missing dependency at the package that needs it", async () => {
    const { c } = await validate("--json", "--rule", "dependency-graph");
    const report = c.json<Report>();
    expect(report.packages.flatMap((p) => p.diagnostics.map((d) => [p.package, d.rule]))).toEqual([["@ydtb/loose", "dependency-graph"]]);
  });

  test("--errors-only, --rule and --table filter what is reported", async () => {
    const all = (await validate("--json", "--package", "@ydtb/loose")).c.json<Report>();
    expect(all.warningCount).toBeGreaterThan(0);
    const errors = (await validate("--json", "--package", "@ydtb/loose", "--errors-only")).c.json<Report>();
    expect(errors.warningCount).toBe(0);
    expect(errors.errorCount).toBe(all.errorCount);
    const unique = (await validate("--json", "--rule", "unique-includes-workspace")).c.json<Report>();
    expect(unique.packages.flatMap((p) => p.diagnostics.map((d) => [d.rule, d.table]))).toEqual([["unique-includes-workspace", "ydtb_loose_links"]]);
    const table = (await validate("--json", "--table", "ydtb_basic_notes")).c.json<Report>();
    expect(table.packages.flatMap((p) => p.diagnostics)).toEqual([]);
    expect(table.ok).toBe(true);
  });

  test("documentation warnings are one line per table unless --verbose", async () => {
    const short = (await validate("--package", "@ydtb/loose")).c.out.join("\n").split("\n");
    const verbose = (await validate("--package", "@ydtb/loose", "--verbose")).c.out.join("\n").split("\n");
    expect(short.filter((l) => l.includes("[documentation]"))).toHaveLength(1);
    expect(verbose.filter((l) => l.includes("[documentation]"))).toHaveLength(5); // the table and its 4 columns
    expect(short.filter((l) => l.includes("info:"))).toHaveLength(1);
  });

  test("an unknown rule or package, or a filter on another command, is a usage error", async () => {
    expect((await validate("--rule", "no-such-rule")).code).toBe(2);
    expect((await validate("--package", "@ydtb/nope")).code).toBe(2);
    expect(await runCli(["status", "--errors-only", "--root", root], captureIO().io)).toBe(2);
  });

  test("reads the functions and roles of each package's SQL migrations (sql-objects), at file:line", async () => {
    // Added last: the tests above count this workspace's packages without it.
    const fns = join(root, "packages", "fns");
    mkdirSync(join(fns, "src"), { recursive: true });
    mkdirSync(join(fns, "drizzle", "meta"), { recursive: true });
    writeFileSync(join(fns, "package.json"), JSON.stringify({ name: "@ydtb/fns", version: "0.1.0", private: true, type: "module" }));
    writeFileSync(join(fns, "drizzle", "0000_fns.sql"), "SELECT 1;\nCREATE FUNCTION touch() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n");
    writeFileSync(join(fns, "drizzle", "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries: [{ idx: 0, version: "7", when: 1, tag: "0000_fns", breakpoints: true }] }));
    writeFileSync(
      join(fns, "src", "database.ts"),
      `import { defineDatabase } from "@ydtb/db-registry";\nexport default defineDatabase({ packageName: "@ydtb/fns", version: "0.1.0", migrations: "./drizzle", dependencies: ["@ydtb/core"] });\n`,
    );
    const { code, c } = await validate("--json", "--package", "@ydtb/fns", "--rule", "sql-objects");
    const report = c.json<{ packages: { diagnostics: { message: string }[] }[] }>();
    expect(code).toBe(1);
    expect(report.packages[0]?.diagnostics.map((d) => d.message.split(":").slice(0, 2).join(":"))).toEqual(["drizzle/0000_fns.sql:2"]);
  });
});
