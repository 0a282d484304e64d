import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseManifest } from "@ydtb/db-registry";
import type { LoadedMigration, LoadedPackage } from "../model/loaded-package.ts";
import { impliedDependencies } from "./implied-dependencies.ts";
import { folderOf } from "./load-folder.ts";
import { loadPackageMigrations } from "./load-migrations.ts";
import { JOURNAL_FILE } from "./read-journal.ts";
import { VERSIONS_FILE } from "./read-versions-file.ts";

/** The fingerprint of a drizzle-kit folder, relative to the folder (beside drizzle-kit's journal). */
export const FINGERPRINT_FILE = "meta/_ydtb_fingerprint.json";

/** Format of {@link FINGERPRINT_FILE}; a file of another format is treated as absent. */
const FORMAT = 1;

/**
 * What {@link FINGERPRINT_FILE} holds: everything a no-op boot needs of a package's migrations
 * (ids in order, checksums, attributed versions), and the hashes of the two files that decide
 * them (the journal, `migrations.versions.json`), so a boot can tell the fingerprint is current
 * without reading a single migration file.
 */
export interface MigrationsFingerprint {
  readonly format: typeof FORMAT;
  /** SHA-256 hex of the journal's text. */
  readonly journal: string;
  /** SHA-256 hex of `migrations.versions.json`'s text, "" when the package has none. */
  readonly versions: string;
  /** Released versions, ascending. */
  readonly releasedVersions: readonly string[];
  /** `[id, checksum, version or null]` per migration, in journal order. */
  readonly migrations: readonly (readonly [string, string, string | null])[];
}

const sha256 = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest("hex");

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

function versionsText(manifest: DatabaseManifest): string {
  return manifest.packageDir ? (readIfExists(join(manifest.packageDir, VERSIONS_FILE)) ?? "") : "";
}

/**
 * The fingerprint a drizzle-kit folder should carry, computed the slow way: every file read,
 * checked and hashed (`loadPackageMigrations`). Throws its load errors.
 *
 * @example
 * computeFingerprint(basicManifest).migrations.map(([id]) => id) // ["0000_notes", "0001_pinned"]
 */
export function computeFingerprint(manifest: DatabaseManifest): MigrationsFingerprint {
  const folder = folderOf(manifest);
  const loaded = loadPackageMigrations(manifest);
  return {
    format: FORMAT,
    journal: sha256(readFileSync(join(folder, JOURNAL_FILE), "utf8")),
    versions: sha256(versionsText(manifest)),
    releasedVersions: loaded.releasedVersions,
    migrations: loaded.migrations.map((m) => [m.id, m.checksum, m.version] as const),
  };
}

/** Whether a folder's {@link FINGERPRINT_FILE} matches its files. */
export type FingerprintStatus = "current" | "missing" | "stale" | "not-a-folder";

/** What {@link verifyFingerprint} found for one package. */
export interface FingerprintCheck {
  readonly package: string;
  readonly status: FingerprintStatus;
  readonly file?: string;
  /** Migrations whose file no longer has the checksum the fingerprint records (status "stale"). */
  readonly changed: readonly string[];
}

/**
 * Compares a package's {@link FINGERPRINT_FILE} with its files, read in full. `ydtb-db validate`
 * and `check` run it: a migration edited after its fingerprint was written is "stale" there,
 * while a no-op boot, which trusts a current-looking fingerprint, does not read the file.
 *
 * @example
 * verifyFingerprint(basicManifest).status // "current"
 */
export function verifyFingerprint(manifest: DatabaseManifest): FingerprintCheck {
  const base = { package: manifest.packageName, changed: [] as string[] };
  if (typeof manifest.migrations !== "string") return { ...base, status: "not-a-folder" };
  const file = join(folderOf(manifest), FINGERPRINT_FILE);
  const recorded = readFingerprint(file);
  if (!recorded) return { ...base, file, status: "missing" };
  const actual = computeFingerprint(manifest);
  const before = new Map(recorded.migrations.map(([id, checksum]) => [id, checksum]));
  const changed = actual.migrations.filter(([id, checksum]) => before.has(id) && before.get(id) !== checksum).map(([id]) => id);
  const rows = (x: MigrationsFingerprint) => JSON.stringify(x.migrations);
  const same =
    actual.journal === recorded.journal && actual.versions === recorded.versions && actual.releasedVersions.join() === recorded.releasedVersions.join() && rows(actual) === rows(recorded);
  return { ...base, file, status: same ? "current" : "stale", changed };
}

/**
 * Writes a package's {@link FINGERPRINT_FILE} from its files (after reading and checking every
 * one). Run by `ydtb-db fingerprint` (the packages' `db:generate` runs it after drizzle-kit) and
 * by `ydtb-db attribute`. Returns the file written, or undefined for TypeScript migrations.
 *
 * @example
 * writeFingerprint(basicManifest) // "/repo/packages/basic/drizzle/meta/_ydtb_fingerprint.json"
 */
export function writeFingerprint(manifest: DatabaseManifest): string | undefined {
  if (typeof manifest.migrations !== "string") return undefined;
  const file = join(folderOf(manifest), FINGERPRINT_FILE);
  const f = computeFingerprint(manifest);
  // One migration per line: a new migration is a one-line diff in review.
  const rows = f.migrations.map((m) => `    ${JSON.stringify(m)}`).join(",\n");
  const head = { format: f.format, journal: f.journal, versions: f.versions, releasedVersions: f.releasedVersions };
  const text = `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "migrations": [\n${rows}\n  ]\n}\n`;
  writeFileSync(file, text);
  return file;
}

function readFingerprint(file: string): MigrationsFingerprint | undefined {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // A damaged fingerprint is only a lost shortcut: the caller reads the files (and validate reports it stale).
    return undefined;
  }
  const f = value as Partial<MigrationsFingerprint> | null;
  const ok = f && f.format === FORMAT && typeof f.journal === "string" && typeof f.versions === "string" && Array.isArray(f.releasedVersions) && Array.isArray(f.migrations);
  return ok ? (f as MigrationsFingerprint) : undefined;
}

/**
 * A package's migrations from its fingerprint, when the fingerprint is current as far as a boot
 * can tell without reading migration files: the journal and `migrations.versions.json` hash to
 * what it records, and the folder holds exactly the journal's `.sql` files (plus downs).
 * Otherwise undefined: the caller reads the files. The migrations' bodies are read from disk
 * only if something asks for them.
 *
 * @example
 * const pkg = loadFromFingerprint(basicManifest) ?? loadPackageMigrations(basicManifest);
 */
export function loadFromFingerprint(manifest: DatabaseManifest): LoadedPackage | undefined {
  if (typeof manifest.migrations !== "string") return undefined;
  const folder = folderOf(manifest);
  const f = readFingerprint(join(folder, FINGERPRINT_FILE));
  if (!f) return undefined;
  const journal = readIfExists(join(folder, JOURNAL_FILE));
  if (journal === undefined || sha256(journal) !== f.journal || sha256(versionsText(manifest)) !== f.versions) return undefined;
  // Orphan or missing files: let the full read name them.
  const ids = new Set(f.migrations.map(([id]) => id));
  let ups = 0;
  for (const name of readdirSync(folder)) {
    if (!name.endsWith(".sql")) continue;
    const down = name.endsWith(".down.sql");
    if (!ids.has(name.slice(0, down ? -".down.sql".length : -".sql".length))) return undefined;
    if (!down) ups++;
  }
  if (ups !== ids.size) return undefined;
  let full: LoadedPackage | undefined;
  const fromDisk = (index: number) => (full ??= loadPackageMigrations(manifest)).migrations[index]!;
  const migrations = f.migrations.map(([id, checksum, version], index): LoadedMigration => ({
    package: manifest.packageName,
    id,
    index,
    checksum,
    version,
    get up() {
      return fromDisk(index).up;
    },
    get down() {
      return fromDisk(index).down;
    },
  }));
  return { packageName: manifest.packageName, version: manifest.version, dependencies: impliedDependencies(manifest), migrations, releasedVersions: f.releasedVersions };
}
