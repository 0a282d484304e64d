import type { DatabaseKind } from "@ydtb/db-client";

/** The PostgreSQL server tests use: `TEST_DATABASE_URL`, else `DATABASE_URL`, else none. */
export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** The kinds tests run on: PGlite always, the server when a URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return serverUrl() ? ["pglite", "postgres"] : ["pglite"];
}

/** Every kind a suite is declared for; the server's is skipped (and reported) without a URL. */
export const ALL_DATABASE_KINDS: readonly DatabaseKind[] = ["pglite", "postgres"];
