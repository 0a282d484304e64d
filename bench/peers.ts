import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

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
export async function drizzlePerPackage(target: { readonly url: string } | { readonly pglite: PGlite }, folders: readonly PackageFolder[]): Promise<void> {
  if ("url" in target) {
    const sql = postgres(target.url, { max: 1, onnotice: () => {} });
    try {
      const db = drizzlePostgres({ client: sql });
      for (const f of folders) await migratePostgres(db, { migrationsFolder: f.folder, migrationsTable: tableFor(f.packageName) });
    } finally {
      await sql.end({ timeout: 2 });
    }
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
export async function floorApply(target: { readonly url: string } | { readonly pglite: PGlite }, migrations: readonly string[][]): Promise<void> {
  if ("url" in target) {
    const sql = postgres(target.url, { max: 1, onnotice: () => {} });
    try {
      for (const statements of migrations) {
        await sql.begin(async (tx) => {
          for (const s of statements) await tx.unsafe(s);
        });
      }
    } finally {
      await sql.end({ timeout: 2 });
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
export async function floorNoop(target: { readonly url: string } | { readonly pglite: PGlite }): Promise<void> {
  if ("url" in target) {
    const sql = postgres(target.url, { max: 1, onnotice: () => {} });
    try {
      await sql`select 1`;
    } finally {
      await sql.end({ timeout: 2 });
    }
  } else await target.pglite.query("select 1");
}
