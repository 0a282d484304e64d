import { describe, expect, test } from "bun:test";
import type { Diagnostic, Exemption } from "@ydtb/db-registry";
import { index, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { applyExemptions, exemptionMatches, validateManifest } from "../src/index.ts";
import { coreDatabase, pkg, scoped } from "./builders.ts";

const diagnostic = (over: Partial<Diagnostic> = {}): Diagnostic => ({ rule: "naming", severity: "warning", package: "@ydtb/x", table: "ydtb_x_a", message: "m", ...over });
const exemption = (over: Partial<Exemption> = {}): Exemption => ({ rule: "naming", table: "ydtb_x_a", reason: "why", ...over });

describe("exemptionMatches", () => {
  test("same rule and table; column, constraint and index when named", () => {
    const cases: [Partial<Exemption>, Partial<Diagnostic>, boolean][] = [
      [{}, {}, true],
      [{}, { table: "ydtb_x_b" }, false],
      [{ rule: "column-types" }, {}, false],
      [{}, { column: "c" }, true],
      [{ column: "c" }, { column: "c" }, true],
      [{ column: "c" }, { column: "d" }, false],
      [{ column: "c" }, {}, false],
      [{ constraint: "k" }, { constraint: "k" }, true],
      [{ constraint: "k" }, { constraint: "j" }, false],
      [{ constraint: "k" }, { index: "k" }, false],
      [{ index: "i" }, { index: "i" }, true],
      [{ index: "i" }, { index: "j" }, false],
    ];
    expect(cases.map(([e, d]) => exemptionMatches(exemption(e), diagnostic(d)))).toEqual(cases.map(([, , want]) => want));
  });

  test("an unused-exemption diagnostic is never silenced, even by an exemption naming that rule", () => {
    const unused = diagnostic({ rule: "unused-exemption" });
    const { diagnostics, exempted } = applyExemptions([unused], [exemption({ rule: "unused-exemption" })]);
    expect(diagnostics).toEqual([unused]);
    expect(exempted).toEqual([]);
  });
});

describe("naming reports the constraint or index it is about", () => {
  test("a camelCase index name is at that index, a camelCase constraint name at that constraint", () => {
    const t = pgTable("ydtb_x_items", { ...scoped(), code: text("code").notNull() }, (tb) => [
      primaryKey({ columns: [tb.workspaceId, tb.id] }),
      index("ydtb_x_itemsByCode").on(tb.workspaceId, tb.code),
      unique("ydtb_x_itemsCode").on(tb.workspaceId, tb.code),
    ]);
    const found = validateManifest(pkg("@ydtb/x", { t }), [coreDatabase]).diagnostics.filter((d) => d.rule === "naming");
    expect(found.map((d) => [d.index ?? null, d.constraint ?? null])).toEqual([
      ["ydtb_x_itemsByCode", null],
      [null, "ydtb_x_itemsCode"],
    ]);
  });
});
