import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { integer, pgEnum, pgTable } from "drizzle-orm/pg-core";
import { defineDatabase } from "@ydtb/db-registry";
import { describeDatabases } from "@ydtb/test-db";
import { dropEverything, migrate, resolveMigration, STATEMENT_BREAKPOINT } from "../src/index.ts";
import { basicManifest as repoBasic, coreManifest as repoCore, releasedCopy, removeTempDirs } from "./fixtures/fixture-packages.ts";

afterAll(removeTempDirs);

const coreManifest = releasedCopy(repoCore);
const basicManifest = releasedCopy(repoBasic);
const all = [coreManifest, basicManifest];

describeDatabases("resolve and drop, through the next boot", (target) => {
  test("a migration resolved as rolled back is pending for the next boot, which applies it again", async () => {
    const db = await target.fresh();
    await migrate(db, all);
    // Undone by hand (its down file run outside the engine), then told to the engine.
    const down = readFileSync(join(basicManifest.packageDir!, "drizzle", "0001_pinned.down.sql"), "utf8");
    for (const statement of down.split(STATEMENT_BREAKPOINT)) await db.exec(statement);
    await resolveMigration(db, all, { package: "@ydtb/basic", id: "0001_pinned", as: "rolled-back" });
    const next = await migrate(db, all);
    expect(next.steps.map((s) => `${s.package} ${s.id} ${s.status}`)).toEqual(["@ydtb/basic 0001_pinned applied"]);
    expect(await db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'ydtb_basic_notes' AND column_name = 'pinned'`)).toEqual([{ n: 1 }]);
    expect((await migrate(db, all)).steps).toEqual([]);
  });

  test("dropEverything drops the packages' enum types too, and the next boot recreates them", async () => {
    const db = await target.fresh();
    const mood = pgEnum("fx_drop_mood", ["happy", "sad"]);
    const moods = defineDatabase({
      packageName: "@ydtb/fx-drop",
      version: "1.0.0",
      schema: { mood, t: pgTable("fx_drop_t", { id: integer("id"), mood: mood("mood") }) },
      migrations: [
        {
          id: "0000_mood",
          up: async (orm) => {
            await orm.execute(sql`CREATE TYPE fx_drop_mood AS ENUM ('happy', 'sad')`);
            await orm.execute(sql`CREATE TABLE fx_drop_t (id integer, mood fx_drop_mood)`);
          },
        },
      ],
      dependencies: {},
    });
    await migrate(db, [moods]);
    const result = await dropEverything(db, [moods]);
    expect([result.tables.includes("fx_drop_t"), result.types]).toEqual([true, ["fx_drop_mood"]]);
    expect(await db.query(`SELECT count(*)::int AS n FROM pg_type WHERE typname = 'fx_drop_mood'`)).toEqual([{ n: 0 }]);
    expect((await migrate(db, [moods])).applied).toBe(1);
  });
});
