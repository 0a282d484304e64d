import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** The Drizzle database a TypeScript migration receives. */
export type Orm = PgDatabase<PgQueryResultHKT, Record<string, never>>;
