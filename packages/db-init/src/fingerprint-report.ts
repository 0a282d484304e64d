import type { DatabaseManifest } from "@ydtb/db-registry";
import { verifyFingerprint, writeFingerprint, type FingerprintCheck } from "@ydtb/db-migrate";

/**
 * The fingerprints of the given packages' drizzle folders, checked against their files
 * (`ydtb-db validate` prints them; a stale one fails it). Packages with TypeScript migrations
 * have none and are left out.
 *
 * @example
 * const checks = fingerprintChecks(manifests);
 * if (checks.some((c) => c.status === "stale")) process.exitCode = 1;
 */
export function fingerprintChecks(manifests: readonly DatabaseManifest[]): FingerprintCheck[] {
  return manifests.map(verifyFingerprint).filter((c) => c.status !== "not-a-folder");
}

/**
 * Lines for a terminal about the fingerprints that are not current (none when all are).
 *
 * @example
 * formatFingerprintChecks([{ package: "@ydtb/basic", status: "stale", changed: ["0001_pinned"] }])
 */
export function formatFingerprintChecks(checks: readonly FingerprintCheck[]): string[] {
  return checks.flatMap((c) => {
    if (c.status === "stale") {
      const edited = c.changed.length ? `${c.changed.map((id) => `"${id}"`).join(", ")} changed since it was written` : "the journal, migrations.versions.json or the files changed since it was written";
      return [
        `error   ${c.package}: the migrations fingerprint ${c.file} is stale (${edited}). ` +
          `A no-op boot trusts it and does not read the files: if that change was intended (a new migration, a re-generated folder), run \`ydtb-db fingerprint --package ${c.package}\`; ` +
          `if an applied migration was edited, restore it (boots with work to do refuse it) and add a new migration instead.`,
      ];
    }
    if (c.status === "missing") return [`note    ${c.package}: no migrations fingerprint; every boot reads every migration file. Write one with \`ydtb-db fingerprint --package ${c.package}\`.`];
    return [];
  });
}

/** What `ydtb-db fingerprint` did for one package. */
export interface FingerprintWritten {
  readonly package: string;
  /** The file written; absent for a package with TypeScript migrations (nothing to write). */
  readonly file?: string;
}

/**
 * Writes the fingerprint of every given package's drizzle folder from its files, each read and
 * checked (load errors are thrown, naming the file).
 *
 * @example
 * writeFingerprints(registry.list()).map((r) => r.file)
 */
export function writeFingerprints(manifests: readonly DatabaseManifest[]): FingerprintWritten[] {
  return manifests.map((m) => {
    const file = writeFingerprint(m);
    return { package: m.packageName, ...(file ? { file } : {}) };
  });
}
