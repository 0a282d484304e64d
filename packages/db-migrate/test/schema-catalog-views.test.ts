import { expect, test } from "bun:test";
import { describeDatabases } from "@ydtb/test-db";
import { diffCatalogs, schemaCatalog } from "../src/index.ts";

// A down that puts a view back with another definition but the same columns leaves the
// columns alike: only the definition tells, so the catalog check compares it.
describeDatabases("schemaCatalog compares view definitions", (target) => {
  test("a view and a materialized view redefined with the same columns differ", async () => {
    const db = await target.fresh();
    await db.exec(`CREATE TABLE ydtb_cv_items (id int NOT NULL, done boolean NOT NULL)`);
    await db.exec(`CREATE VIEW ydtb_cv_open AS SELECT id FROM ydtb_cv_items WHERE NOT done`);
    await db.exec(`CREATE MATERIALIZED VIEW ydtb_cv_count AS SELECT count(*) AS n FROM ydtb_cv_items`);
    const before = await schemaCatalog(db);
    await db.exec(`CREATE OR REPLACE VIEW ydtb_cv_open AS SELECT id FROM ydtb_cv_items WHERE done`);
    await db.exec(`DROP MATERIALIZED VIEW ydtb_cv_count; CREATE MATERIALIZED VIEW ydtb_cv_count AS SELECT count(*) AS n FROM ydtb_cv_items WHERE done`);
    const diff = diffCatalogs(before, await schemaCatalog(db));
    expect(diff.map((l) => l.split(" ").slice(0, 3).join(" ")).sort()).toEqual(["+ view ydtb_cv_count", "+ view ydtb_cv_open", "- view ydtb_cv_count", "- view ydtb_cv_open"]);
    expect(diffCatalogs(before, before)).toEqual([]);
  });
});
