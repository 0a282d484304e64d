import type { DatabaseManifest } from "@ydtb/db-registry";
import type { Orm } from "@ydtb/db-registry";

/** The body of one direction of a migration: SQL statements, or a TypeScript function. */
export type MigrationBody =
  | {
      readonly kind: "sql";
      /** The file it came from. */
      readonly file: string;
      /**
       * The file's text with a leading byte-order mark removed and nothing else changed (CRLF
       * kept): what runs is cut from it by PostgreSQL's parser (`prepareSql`), statement by statement.
       */
      readonly text: string;
      /** False when the file's first line is `-- ydtb:no-transaction`. */
      readonly transaction: boolean;
      /** From a `-- ydtb:lock-timeout 10s` header: this migration's `lock_timeout`, ms. */
      readonly lockTimeoutMs?: number;
    }
  | {
      readonly kind: "typescript";
      readonly run: (db: Orm) => Promise<unknown> | unknown;
      /** From the definition's `transaction` (default true). */
      readonly transaction: boolean;
      /** From the definition's `lockTimeout`, ms. */
      readonly lockTimeoutMs?: number;
    };

/** One migration, read and identified: (package, id), checksum, attributed version. */
export interface LoadedMigration {
  readonly package: string;
  readonly id: string;
  /** Position in the package (journal order, or array order), from 0. */
  readonly index: number;
  /** SHA-256 hex; see `checksumSql` and `checksumTypeScript`. */
  readonly checksum: string;
  /** The release it belongs to (from `migrations.versions.json`), or null: the next, unreleased version. */
  readonly version: string | null;
  readonly up: MigrationBody;
  readonly down?: MigrationBody;
}

/** A package with its migrations, as the planner and executor see it. */
export interface LoadedPackage {
  readonly packageName: string;
  /** The code version (package.json). */
  readonly version: string;
  /** Package name → semver range, with `@ydtb/core` implied for every other package. */
  readonly dependencies: Readonly<Record<string, string>>;
  /** The manifest's Drizzle tables: whether `@ydtb/core` is implied depends on what they reference. */
  readonly tables?: DatabaseManifest["tables"];
  readonly migrations: readonly LoadedMigration[];
  /** Released versions named in `migrations.versions.json`, ascending. */
  readonly releasedVersions: readonly string[];
  /** The manifest's `lockTimeout` / `statementTimeout`, ms. */
  readonly lockTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
}
