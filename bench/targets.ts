import { PGlite } from "@electric-sql/pglite";
import { emptyPgliteSnapshot } from "@ydtb/test-db";
import postgres from "postgres";

/** A fresh, empty database for one contender: a server database or a PGlite instance. */
export type Target = { readonly kind: "postgres"; readonly url: string; readonly dbName: string } | { readonly kind: "pglite"; readonly pglite: PGlite };

let admin: postgres.Sql | undefined;
let serial = 0;

/**
 * A fresh database: on the server `ydtb_bench_<pid>_<n>` (dropped by {@link dropTarget}), or a
 * PGlite started from the empty snapshot `@ydtb/test-db` caches (the same empty database a new
 * instance would hold, without initdb's 2 s).
 */
export async function freshTarget(kind: "postgres" | "pglite", serverUrl: string): Promise<Target> {
  if (kind === "pglite") return { kind, pglite: await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() }) };
  admin ??= postgres(serverUrl, { max: 1, onnotice: () => {} });
  const dbName = `ydtb_bench_${process.pid}_${++serial}`;
  await admin.unsafe(`CREATE DATABASE "${dbName}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  return { kind, url: url.toString(), dbName };
}

/** Closes or drops a target made by {@link freshTarget}. */
export async function dropTarget(t: Target): Promise<void> {
  if (t.kind === "pglite") await t.pglite.close();
  else await admin?.unsafe(`DROP DATABASE IF EXISTS "${t.dbName}" WITH (FORCE)`);
}

/** Closes the admin connection (at the end of the bench). */
export async function closeTargets(): Promise<void> {
  await admin?.end({ timeout: 2 });
  admin = undefined;
}

/** Median of a non-empty list. */
export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
