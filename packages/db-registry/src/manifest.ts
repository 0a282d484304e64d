import type { Orm } from "./orm.ts";
import type { PgTable } from "drizzle-orm/pg-core";

/** The brand that marks a frozen manifest; `Symbol.for` so two installed copies agree. */
export const MANIFEST_BRAND: unique symbol = Symbol.for("ydtb.db-registry.manifest") as never;

/** The name of the root package every package depends on. */
export const CORE_PACKAGE = "@ydtb/core";

/**
 * A TypeScript migration. `up`/`down` get a Drizzle database bound to the migration's
 * transaction (or to a plain connection when `transaction: false`).
 *
 * @example
 * { id: "0003_backfill_slugs", up: async (db) => { await db.execute(sql`UPDATE ...`) } }
 */
export interface MigrationDefinition {
  /** Unique within the package; ordered as listed. Letters, digits, `_`, `-`, `.`. */
  readonly id: string;
  readonly up: (db: Orm) => Promise<unknown> | unknown;
  readonly down?: (db: Orm) => Promise<unknown> | unknown;
  /** `false` runs outside a transaction (e.g. `CREATE INDEX CONCURRENTLY`). Default `true`. */
  readonly transaction?: boolean;
  /**
   * What the checksum covers for a TypeScript migration. Default: SHA-256 of `up.toString()`
   * (`down` is not part of it, so adding a down later is not drift). Set it (e.g. `"v2"`) to
   * decide yourself what counts as a change.
   */
  readonly checksumSource?: string;
  /** How long its statements wait for a table lock (`lock_timeout`): `"10s"`, `"500ms"`, or ms. Overrides the manifest's `lockTimeout`. */
  readonly lockTimeout?: string | number;
}

/** A workspace tool a package provides (synced into `ydtb_tools`). */
export interface ToolDefinition {
  /** Unique across all packages, at most 20 characters. */
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly icon?: string;
}

/** Description of one table and its columns, by SQL names. */
export interface TableDescription {
  readonly description: string;
  readonly columns?: Readonly<Record<string, string>>;
}

/**
 * A deliberate, explained exception to one validation rule. Without `column`, `constraint` or
 * `index` it covers the whole table; with one of them, only the diagnostics about that column,
 * constraint or index.
 *
 * @example
 * { rule: "unique-includes-workspace", table: "ydtb_keys_tokens", constraint: "ydtb_keys_tokens_hash_unique",
 *   reason: "a random secret, looked up before the workspace is known" }
 */
export interface Exemption {
  readonly rule: string;
  /** SQL table name. */
  readonly table: string;
  /** SQL column name, when the diagnostic is about one column. */
  readonly column?: string;
  /** SQL name of one constraint (unique, foreign key, primary key, check). */
  readonly constraint?: string;
  /** SQL name of one index. */
  readonly index?: string;
  /** Why the rule does not apply: required, shown in every report. */
  readonly reason: string;
}

/** What `defineDatabase()` takes. */
export interface DatabaseManifestInput {
  /** Scoped npm name, e.g. `"@ydtb/notes"`. */
  readonly packageName: string;
  /** The package.json version (semver). */
  readonly version: string;
  /**
   * The module's Drizzle objects: `import * as schema from "./schema"`. Tables, views,
   * materialized views, enums, sequences, schemas, roles and relations are read; other exports
   * (constants, TypeScript enums, helpers) are ignored. Optional for a package that only
   * brings migrations.
   */
  readonly schema?: Readonly<Record<string, unknown>>;
  /**
   * A drizzle-kit folder (absolute, or relative to the package folder — the folder of the
   * nearest package.json above the manifest file; a `file:` URL works too), or TypeScript migrations.
   */
  readonly migrations: string | URL | readonly MigrationDefinition[];
  /**
   * Package name → semver range, or a list of names (any version of each). `@ydtb/core` is
   * implied when the schema references one of its tables.
   */
  readonly dependencies?: Readonly<Record<string, string>> | readonly string[];
  /**
   * Tables (and materialized views) that are not workspace-scoped (reference data, per-user tables, data shared by every
   * workspace): SQL table name → why. The workspace rules skip them; a foreign key from a
   * workspace table to one is fine, from one to a workspace table is an error.
   */
  readonly globalTables?: Readonly<Record<string, string>>;
  /** PostgreSQL extensions the migrations need (lower-case names, e.g. `"pg_trgm"`), created before the first one. */
  readonly extensions?: readonly string[];
  readonly tools?: readonly ToolDefinition[];
  /** By SQL table name. */
  readonly descriptions?: Readonly<Record<string, TableDescription>>;
  readonly exemptions?: readonly Exemption[];
  /**
   * How long a statement of this package's migrations waits for a table lock before it is
   * retried (`SET LOCAL lock_timeout`): `"10s"`, `"500ms"`, or ms. Default: the migrate
   * option (5 s). A migration's `-- ydtb:lock-timeout 30s` header overrides it.
   */
  readonly lockTimeout?: string | number;
  /** `statement_timeout` of this package's migration statements: `"5min"`, or ms. Default: the migrate option (none). */
  readonly statementTimeout?: string | number;
}

/** A checked, frozen manifest: what the registry holds. Make one with `defineDatabase()`. */
export interface DatabaseManifest {
  readonly [MANIFEST_BRAND]: true;
  readonly packageName: string;
  readonly version: string;
  /** The schema module as given (`{}` when the package brings only migrations). */
  readonly schema: Readonly<Record<string, unknown>>;
  /** The Drizzle tables found in `schema`, in export order. */
  readonly tables: readonly PgTable[];
  /** An absolute folder path, a path relative to `packageDir`, or TypeScript migrations. */
  readonly migrations: string | readonly MigrationDefinition[];
  readonly dependencies: Readonly<Record<string, string>>;
  readonly tools: readonly ToolDefinition[];
  readonly descriptions: Readonly<Record<string, TableDescription>>;
  readonly exemptions: readonly Exemption[];
  /** `lockTimeout` in ms, when given. */
  readonly lockTimeoutMs?: number;
  /** `statementTimeout` in ms, when given. */
  readonly statementTimeoutMs?: number;
  /** SQL table name → why it is global (not workspace-scoped). See {@link isGlobalTable}. */
  readonly globalTables: Readonly<Record<string, string>>;
  /** PostgreSQL extension names, in declaration order. */
  readonly extensions: readonly string[];
  /**
   * The package folder, set by discovery (`bindManifest`); for a relative migrations folder,
   * already the nearest package.json above the file that called `defineDatabase()`.
   * Relative migration paths resolve from it.
   */
  readonly packageDir?: string;
  /** The file the manifest was loaded from, for messages. */
  readonly source?: string;
}
