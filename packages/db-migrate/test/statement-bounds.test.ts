import { beforeAll, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadSqlParser, withoutBom, type SqlParser } from "../src/index.ts";
import { SourceText } from "../src/sql/source-text.ts";
import { quickBounds, scannedBounds } from "../src/sql/statement-bounds.ts";

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadSqlParser();
});

const fixtures = readdirSync(join(import.meta.dir, "fixtures/sql")).map((f) => withoutBom(readFileSync(join(import.meta.dir, "fixtures/sql", f), "utf8")));
const texts = [
  ...fixtures,
  'CREATE TABLE "a" (\n\t"id" int\n);\n--> statement-breakpoint\nCREATE INDEX "a_idx" ON "a" ("id");',
  "-- ydtb:no-transaction\n\n/* block /* nested */ still */ CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);\n",
  "SELECT 1;\r\n  -- between\r\n  SELECT 'é✓' ;  \r\n",
  "SELECT 1 -- trailing comment inside the statement\n;\nSELECT 2",
  "SELECT '--not a comment' AS x; SELECT 3",
  "INSERT INTO t VALUES ('/* no */');\nSELECT 4 /* after */;",
  "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; -- inside $$;\nSELECT f()",
  "SELECT 5",
  "   \n\n SELECT 6 ;;; SELECT 7;\n-- the end",
];

test("quickBounds cuts statements as the scanner does, or leaves them to it", () => {
  let decided = 0;
  for (const text of texts) {
    const src = new SourceText(text);
    const spans = (parser.parseSync(text).stmts ?? []).map((raw) => {
      const from = raw.stmt_location ?? 0;
      return { from, to: raw.stmt_len ? from + raw.stmt_len : src.bytes.length };
    });
    const scanned = scannedBounds(parser, text, spans);
    spans.forEach((span, i) => {
      const quick = quickBounds(src.bytes, span.from, span.to);
      if (quick === undefined) return;
      decided++;
      expect(src.slice(quick.start, quick.end)).toBe(src.slice(scanned[i]!.start, scanned[i]!.end));
    });
  }
  expect(decided).toBeGreaterThan(10);
});

test("quickBounds leaves to the scanner a statement with a comment or a `--` inside it", () => {
  const at = (text: string) => quickBounds(new TextEncoder().encode(text), 0, new TextEncoder().encode(text).length);
  expect([at("SELECT 1 -- note"), at("SELECT '--'"), at("SELECT /* x */ 1"), at("/* unterminated"), at("  "), at("SELECT 1;")]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  expect(at("-- note\r\n/* a /* b */ c */\tSELECT 1 \r\n")).toEqual({ start: 27, end: 35 });
});
