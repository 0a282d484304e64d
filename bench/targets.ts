import { PGlite } from "@electric-sql/pglite";
import { closeServerConnections, createServerDatabase, emptyPgliteSnapshot, type ServerTestDatabase } from "@ydtb/test-db";

/** A fresh, empty database for one contender: a server database or a PGlite instance. */
export type Target = { readonly kind: "postgres"; readonly url: string; readonly server: ServerTestDatabase } | { readonly kind: "pglite"; readonly pglite: PGlite };

/**
 * A fresh database: on the server `ydtb_bench_<pid>_<n>_<random>` (dropped by {@link dropTarget};
 * made by `@ydtb/test-db`, so one a killed bench leaves is swept by the next run), or a PGlite
 * started from the empty snapshot `@ydtb/test-db` caches (the same empty database a new
 * instance would hold, without initdb's 2 s).
 */
export async function freshTarget(kind: "postgres" | "pglite", serverUrl: string): Promise<Target> {
  if (kind === "pglite") return { kind, pglite: await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() }) };
  const server = await createServerDatabase({ url: serverUrl, prefix: BENCH_DATABASE_PREFIX });
  return { kind, url: server.url, server };
}

/** The bench's server databases are named `ydtb_bench_<pid>_<n>_<random>`. */
export const BENCH_DATABASE_PREFIX = "ydtb_bench_";

/** Closes or drops a target made by {@link freshTarget}. */
export async function dropTarget(t: Target): Promise<void> {
  if (t.kind === "pglite") await t.pglite.close();
  else await t.server.drop();
}

/** Closes the server connections (at the end of the bench). */
export const closeTargets = closeServerConnections;

/** Median of a non-empty list. */
export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
