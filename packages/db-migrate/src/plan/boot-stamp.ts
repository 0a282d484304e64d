import { existsSync, readdirSync, readFileSync } from "node:fs";

// The boot stamp's read side. Light on purpose (node built-ins and Bun's hasher only): a no-op
// `ydtb-db migrate` loads this module (`@ydtb/db-migrate/boot-stamp`) instead of the engine,
// the registry and the packages' schemas. The write side is `history/boot-stamp-store.ts`.

/** Default name of the versions table (`VERSIONS_TABLE`; a test keeps the two equal). */
export const DEFAULT_VERSIONS_TABLE = "ydtb_schema_versions";
/** Default name of the history table (`HISTORY_TABLE`; a test keeps the two equal). */
export const DEFAULT_HISTORY_TABLE = "ydtb_schema_history";

/** The tables a stamp is read against: the bookkeeping tables' and its own. */
export interface StampTables {
  readonly history: string;
  readonly versions: string;
  /** `<history>_boot_stamp`. */
  readonly stamp: string;
}

/** The stamp's tables for a history table name (validated by `historyTableNames` on the write side). */
export function stampTablesOf(history: string = DEFAULT_HISTORY_TABLE, versions: string = DEFAULT_VERSIONS_TABLE): StampTables {
  return { history, versions, stamp: `${history}_boot_stamp` };
}

/** Where one package's boot inputs are on disk (recorded in the stamp: a no-op CLI boot reads its files from it). */
export interface StampPackage {
  readonly name: string;
  /** The manifest module (discovery's file); null for a manifest built in memory. */
  readonly source: string | null;
  /** The folder whose package.json gives the version; null when unknown. */
  readonly packageDir: string | null;
  /** The drizzle-kit folder, absolute. */
  readonly folder: string;
}

/** What a no-op boot answers without the engine: the figures of the full no-op it stands for. */
export interface StampAnswer {
  readonly order: readonly string[];
  readonly packages: readonly { readonly name: string; readonly version: string; readonly databaseVersion: string | null; readonly tables: number; readonly source?: string }[];
  readonly versions: readonly { readonly package: string; readonly codeVersion: string; readonly databaseVersion: string | null; readonly appliedCount: number }[];
  readonly warnings: readonly unknown[];
  readonly exempted: readonly unknown[];
  /** False when the boot that wrote it was told not to sync tools: a boot that syncs them cannot use it. */
  readonly toolsSynced: boolean;
}

/** A stamp as read from the database, with the database's current state digest beside it. */
export interface StoredStamp {
  readonly inputs: string;
  readonly manifests: string;
  readonly state: string;
  readonly current: string;
  readonly layout: readonly StampPackage[];
  readonly answer: StampAnswer;
}

// Missing is an answer ("-"), not an error: a file deleted since the stamp makes the digest differ.
function readOrMissing<T>(path: string, read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw new Error(`boot stamp: reading ${path} failed (${(error as Error).message})`, { cause: error });
  }
}

/**
 * Digest of the files a package's boot decides from: the manifest module, the package.json
 * (version), and the migrations folder's fingerprint, journal, versions file and file names —
 * what `loadFromFingerprint` reads. Every file missing counts as "-". One hasher over the raw
 * bytes, length-prefixed. Throws only on I/O errors other than a missing file (the caller then
 * takes the full path). `read` holds files this process has already read (their bytes, as read
 * once: discovery's package.json and manifest files), so each file is read once a boot.
 *
 * @example
 * inputsDigest([{ name: "@ydtb/basic", source, packageDir, folder }]) // "9f2c…"
 */
export function inputsDigest(layout: readonly StampPackage[], read?: ReadonlyMap<string, Uint8Array>): string {
  const hasher = new Bun.CryptoHasher("sha256");
  const text = (value: string) => hasher.update(`${value.length}:${value}\n`);
  const file = (path: string | null) => {
    const bytes = path === null ? undefined : (read?.get(path) ?? readOrMissing(path, () => readFileSync(path)));
    if (bytes === undefined) text("-");
    else hasher.update(`${bytes.length}:`).update(bytes);
  };
  const sorted = [...layout].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const p of sorted) {
    text(JSON.stringify([p.name, p.source, p.packageDir, p.folder]));
    file(p.source);
    file(p.packageDir && `${p.packageDir}/package.json`);
    // Optional (most packages have none): looked up, not read, when absent (an existence check
    // costs a quarter of a read failing with ENOENT, which builds an error).
    file(p.packageDir && existsSync(`${p.packageDir}/migrations.versions.json`) ? `${p.packageDir}/migrations.versions.json` : null);
    file(`${p.folder}/meta/_ydtb_fingerprint.json`);
    file(`${p.folder}/meta/_journal.json`);
    text(readOrMissing(p.folder, () => readdirSync(p.folder).sort().join("/")) ?? "-");
  }
  return hasher.digest("hex");
}

/**
 * SQL giving the digest of what the planner's no-op answer read (every versions row, with its
 * `updated_at`) and of the history's length: any command that writes the versions or the
 * history (migrate with work, rollback, repair, resolve, baseline, reset) changes it.
 */
export function stateDigestSql(t: StampTables): string {
  const rows = `concat_ws('|', package, schema_version, code_version, applied_count::text, digest, floor(extract(epoch from updated_at) * 1000000)::bigint::text)`;
  return (
    `(SELECT md5(coalesce((SELECT string_agg(${rows}, E'\\n' ORDER BY package COLLATE "C") FROM "${t.versions}"), '') || '#' || ` +
    `coalesce((SELECT max(id)::text FROM "${t.history}"), '-')))`
  );
}

/** The query a boot sends (the only one on a no-op): the stamp and the current state digest. */
export function readStampSql(t: StampTables): string {
  return `SELECT inputs, manifests, state, layout::text AS layout, answer::text AS answer, ${stateDigestSql(t)} AS current FROM "${t.stamp}" WHERE id = 1`;
}

/** Parses {@link readStampSql}'s row (undefined when there is none or it is not readable). */
export function parseStamp(row: Record<string, unknown> | undefined): StoredStamp | undefined {
  if (!row || typeof row.inputs !== "string" || typeof row.state !== "string" || typeof row.current !== "string" || typeof row.manifests !== "string") return undefined;
  const layout = JSON.parse(String(row.layout)) as StampPackage[];
  const answer = JSON.parse(String(row.answer)) as StampAnswer;
  return { inputs: row.inputs, manifests: row.manifests, state: row.state, current: row.current, layout, answer };
}

/**
 * True when the stamp holds for the database as it is now and for these inputs: the state the
 * planner answered "nothing to do" from is unchanged, and so are the files it decided from.
 *
 * @example
 * if (stamp && stampHolds(stamp, inputsDigest(stamp.layout))) return stamp.answer;
 */
export function stampHolds(stamp: StoredStamp, inputs: string): boolean {
  return stamp.state === stamp.current && stamp.inputs === inputs;
}
