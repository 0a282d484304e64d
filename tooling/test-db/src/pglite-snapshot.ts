import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";

/** Where the empty-database snapshot is kept between processes: `node_modules/.cache/ydtb-test-db`. */
export const SNAPSHOT_CACHE_DIR = join(dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite/package.json")), "../../.cache/ydtb-test-db");

/** The installed PGlite's version: the key of the cached snapshot. */
export const pgliteVersion = (): string =>
  (JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@electric-sql/pglite/package.json"), "utf8")) as { version: string }).version;

let snapshot: Promise<Blob> | undefined;

/**
 * The data directory of an empty PGlite database, as a tarball. Creating a PGlite runs initdb
 * (about 2.5 s, the first in a process); starting one from this snapshot takes about 0.3 s
 * (0.6 s the first in a process). The snapshot is made once per PGlite version and kept in
 * {@link SNAPSHOT_CACHE_DIR}, so each test process of the suite starts from it.
 *
 * @example
 * const pg = await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() });
 */
export function emptyPgliteSnapshot(): Promise<Blob> {
  snapshot ??= loadOrMake();
  return snapshot;
}

async function loadOrMake(): Promise<Blob> {
  const file = join(SNAPSHOT_CACHE_DIR, `empty-pglite-${pgliteVersion()}.tar`);
  const cached = Bun.file(file);
  if (await cached.exists()) return new Blob([await cached.arrayBuffer()], { type: "application/x-tar" });
  const pg = await PGlite.create();
  let blob: Blob;
  try {
    blob = await pg.dumpDataDir("none");
  } finally {
    await pg.close();
  }
  // Written under a temporary name and renamed, so a concurrent test process reads a whole file or none.
  mkdirSync(SNAPSHOT_CACHE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, new Uint8Array(await blob.arrayBuffer()));
  renameSync(partial, file);
  return blob;
}
