export { BaselineMismatchError, DrizzleHistoryNotFoundError, ResolveError, type BaselineMismatch } from "./adopt-errors.ts";
export { baselineFromDrizzle, baselineToVersion, type BaselineOptions, type BaselineResult } from "./baseline.ts";
export { drizzleFiles, type DrizzleFile } from "./drizzle-files.ts";
export { DEFAULT_DRIZZLE_TABLE, drizzleTableName, readDrizzleHistory, type DrizzleHistoryRow, type DrizzleTable } from "./drizzle-history.ts";
export { matchDrizzleHistory, type DrizzleTableGroup, type MatchedMigration } from "./match-drizzle-history.ts";
export { ADOPTED_BY_PREFIX, recordAdopted, type AdoptEntry } from "./record-adopted.ts";
export { resolveMigration, type ResolveOptions } from "./resolve-migration.ts";
