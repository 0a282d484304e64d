import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

/** An open connection: the runner opens it before timing, as every contender reuses one. */
export type PeerTarget = { readonly sql: postgres.Sql } | { readonly pglite: PGlite };

/** One package's drizzle-kit folder, in dependency order. */
export interface PackageFolder {
  readonly packageName: string;
  readonly folder: string;
}

const tableFor = (packageName: string) => `__drizzle_${packageName.replace(/\W+/g, "_")}`;

/**
 * What a user would do without us: drizzle-orm's `migrate()` once per package folder, each with
 * its own history table (sharing one table makes drizzle skip other packages' migrations),
 * in dependency order.
 */
export async function drizzlePerPackage(target: PeerTarget, folders: readonly PackageFolder[]): Promise<void> {
  if ("sql" in target) {
    const db = drizzlePostgres({ client: target.sql });
    for (const f of folders) await migratePostgres(db, { migrationsFolder: f.folder, migrationsTable: tableFor(f.packageName) });
  } else {
    const db = drizzlePglite({ client: target.pglite });
    for (const f of folders) await migratePglite(db, { migrationsFolder: f.folder, migrationsTable: tableFor(f.packageName) });
  }
}

/** Every migration's statements, in order: what the floor sends. */
export function readStatements(folders: readonly PackageFolder[]): string[][] {
  const out: string[][] = [];
  for (const f of folders) {
    const journal = JSON.parse(readFileSync(join(f.folder, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
    for (const e of journal.entries) {
      out.push(
        readFileSync(join(f.folder, `${e.tag}.sql`), "utf8")
          .split("--> statement-breakpoint")
          .map((s) => s.trim())
          .filter(Boolean),
      );
    }
  }
  return out;
}

/**
 * The floor: the same statements sent on one connection, one transaction per migration,
 * with no bookkeeping at all.
 */
export async function floorApply(target: PeerTarget, migrations: readonly string[][]): Promise<void> {
  if ("sql" in target) {
    for (const statements of migrations) {
      await target.sql.begin(async (tx) => {
        for (const s of statements) await tx.unsafe(s);
      });
    }
  } else {
    for (const statements of migrations) {
      await target.pglite.transaction(async (tx) => {
        for (const s of statements) await tx.exec(s);
      });
    }
  }
}

/** The floor of a no-op boot: one round trip. */
export async function floorNoop(target: PeerTarget): Promise<void> {
  if ("sql" in target) await target.sql`select 1`;
  else await target.pglite.query("select 1");
}
