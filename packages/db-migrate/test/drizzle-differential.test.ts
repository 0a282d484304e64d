import { afterAll, describe, expect, test } from "bun:test";
import { closeTestServer, createTestDatabase, databaseKinds, type TestDatabase } from "@ydtb/test-db";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as drizzleMigrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { migrate } from "../src/index.ts";
import { folderManifest, removeTempDirs, tempDir, writeFolder, type FolderEntry } from "./fixtures/fixture-packages.ts";

const onServer = databaseKinds().includes("postgres");
const BP = "\n--> statement-breakpoint\n";

// A drizzle-kit folder as real projects have them: enums, tables, FKs in DO blocks (older
// drizzle-kit), functions with tagged dollar quotes, triggers, an enum value added later,
// data updates with E-strings, a view, comments, a chunk holding several statements.
const FOLDER: readonly FolderEntry[] = [
  {
    tag: "0000_init",
    up: [
      `CREATE TYPE "public"."post_status" AS ENUM('draft', 'published');`,
      `CREATE TABLE "authors" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"name" text NOT NULL,\n\t"email" varchar(255) NOT NULL,\n\tCONSTRAINT "authors_email_unique" UNIQUE("email")\n);`,
      `CREATE TABLE "posts" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"author_id" integer NOT NULL,\n\t"title" text NOT NULL,\n\t"status" "post_status" DEFAULT 'draft' NOT NULL,\n\t"created_at" timestamp with time zone DEFAULT now() NOT NULL\n);`,
      `DO $$ BEGIN\n ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_authors_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."authors"("id") ON DELETE cascade ON UPDATE no action;\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;`,
      `CREATE INDEX IF NOT EXISTS "posts_author_idx" ON "posts" USING btree ("author_id");`,
    ].join(BP),
  },
  {
    tag: "0001_touch",
    up: [
      `ALTER TABLE "posts" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;`,
      `CREATE OR REPLACE FUNCTION "touch_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn1$\nBEGIN\n  NEW.updated_at := now(); -- keep; the ; here is in the body\n  RETURN NEW;\nEND;\n$fn1$;`,
      `CREATE TRIGGER "posts_touch" BEFORE UPDATE ON "posts" FOR EACH ROW EXECUTE FUNCTION "touch_updated_at"();`,
    ].join(BP),
  },
  { tag: "0002_archived", up: `ALTER TYPE "public"."post_status" ADD VALUE 'archived';` },
  {
    tag: "0003_seed",
    up: [
      `INSERT INTO "authors" ("name", "email") VALUES ('Ann', 'ann@example.com'), (E'O\\'Brien', 'ob@example.com');`,
      `INSERT INTO "posts" ("author_id", "title") SELECT "id", 'Hello; world -- not a comment' FROM "authors";\nUPDATE "posts" SET "status" = 'published' WHERE "title" LIKE 'Hello%';`,
    ].join(BP),
  },
  {
    tag: "0004_view",
    up: [
      `CREATE VIEW "published_posts" AS SELECT p."id", p."title", a."name" AS "author" FROM "posts" p JOIN "authors" a ON a."id" = p."author_id" WHERE p."status" = 'published';`,
      `COMMENT ON TABLE "posts" IS 'Blog posts; one per row';`,
      `ALTER TABLE "authors" ADD CONSTRAINT "authors_name_check" CHECK (length("name") > 0);`,
      `CREATE OR REPLACE FUNCTION "post_count"(author integer) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM "posts" WHERE "author_id" = author $$;`,
    ].join(BP),
  },
];

async function schemaDump(url: string): Promise<string> {
  const proc = Bun.spawn(["pg_dump", "--schema-only", "--no-owner", "--no-privileges", "--exclude-schema=drizzle", "--exclude-table=ydtb_schema_*", "-d", url], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`pg_dump exited ${code}: ${err}`);
  // pg_dump 15.20+ prints \restrict / \unrestrict with a random key.
  return out
    .split("\n")
    .filter((line) => !/^\\(un)?restrict\b/.test(line))
    .join("\n");
}

describe.skipIf(!onServer)("differential: drizzle's migrate() and ours give the same schema [postgres]", () => {
  afterAll(async () => {
    removeTempDirs();
    await closeTestServer();
  });

  test("a realistic drizzle-kit folder: identical pg_dump --schema-only and identical data", async () => {
    const dir = tempDir();
    const folder = writeFolder(dir, FOLDER);
    const theirs: TestDatabase = await createTestDatabase("postgres");
    const ours: TestDatabase = await createTestDatabase("postgres");
    const client = postgres(theirs.url!, { max: 1, onnotice: () => {} });
    try {
      await drizzleMigrate(drizzle(client), { migrationsFolder: folder });
      const result = await migrate(ours, [folderManifest("@ydtb/core", dir)]);
      expect(result.applied).toBe(FOLDER.length);

      const [a, b] = await Promise.all([schemaDump(theirs.url!), schemaDump(ours.url!)]);
      expect(a).toContain('CREATE TRIGGER posts_touch BEFORE UPDATE ON public.posts');
      expect(b).toBe(a);
      const data = `SELECT a.name, p.title, p.status::text AS status FROM posts p JOIN authors a ON a.id = p.author_id ORDER BY a.name`;
      expect(await ours.query(data)).toEqual(await theirs.query(data));
      expect((await ours.query(data)).length).toBe(2);
    } finally {
      await client.end({ timeout: 2 });
      await theirs.dispose();
      await ours.dispose();
    }
  }, 60_000);
});
