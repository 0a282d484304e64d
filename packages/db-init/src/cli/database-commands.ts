import type { Database } from "@ydtb/db-client";
import type { DatabaseManifest } from "@ydtb/db-registry";
import {
  baselineFromDrizzle,
  baselineToVersion,
  DEFAULT_LOCK_TIMEOUT_MS,
  dropEverything,
  repairChecksums,
  resolveMigration,
  type MigrateOptions,
  type MigrationTarget,
} from "@ydtb/db-migrate";
import { databaseStatus } from "../database-status.ts";
import { UsageError } from "../errors.ts";
import { formatInitReport } from "../init-report.ts";
import { initDatabase } from "../init-database.ts";
import type { Command } from "../parse-command.ts";
import { formatWait, type Colors } from "./colors.ts";
import { formatBaseline, formatPlan, formatProgress, formatStatus } from "./format-output.ts";
import { migrationLockHolder } from "./lock-holder.ts";
import { formatSqlPreview, planSql } from "./sql-preview.ts";

/** What a database command needs besides the database. */
export interface DatabaseCommandContext {
  readonly command: Command;
  readonly db: Database;
  /** Every registered manifest, and the ones `--package` selects (with their dependencies). */
  readonly all: readonly DatabaseManifest[];
  readonly selected: readonly DatabaseManifest[];
  /** Prints a result: JSON (the payload with `ok` and `command`) or text. */
  readonly print: (payload: Record<string, unknown>, text: () => string) => void;
  /** Progress and waiting messages (stderr). */
  readonly note: (text: string) => void;
  readonly colors: Colors;
  /** Reads `YDTB_DB_STRICT_VERSIONS` (only migrating commands ask; a bad value is a usage error). */
  readonly strictVersionsEnv: () => boolean;
}

const lockOptions = (command: Command) => (command.lockTimeoutMs !== undefined ? { lockTimeoutMs: command.lockTimeoutMs } : {});

/** Says at once who holds the migration lock, when another session does, before waiting for it. */
async function announceLockWait(ctx: DatabaseCommandContext): Promise<void> {
  const holder = await migrationLockHolder(ctx.db);
  if (holder) ctx.note(`waiting up to ${formatWait(ctx.command.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS)} for the migration lock, held by ${holder}`);
}

/**
 * Runs a command that opens the database (status, plan, migrate, rollback, repair, baseline,
 * resolve, reset) and returns its exit code; failures are thrown.
 */
export async function runDatabaseCommand(ctx: DatabaseCommandContext): Promise<number> {
  const { command, db, all, selected, print, colors: c } = ctx;
  switch (command.name) {
    case "status": {
      const status = await databaseStatus(db, all, { migrations: command.migrations });
      const shown = command.package ? { ...status, packages: status.packages.filter((p) => p.package === command.package) } : status;
      if (command.package && shown.packages.length === 0) throw new UsageError(`status: no registered package "${command.package}"`);
      print({ ...shown }, () => formatStatus(shown, c));
      return 0;
    }
    case "plan":
    case "migrate":
    case "rollback": {
      const target: MigrationTarget = command.to
        ? { kind: "version", package: command.to.package, version: command.to.version }
        : command.steps !== undefined
          ? { kind: "steps", steps: command.steps }
          : { kind: "latest" };
      const options: Omit<MigrateOptions, "onProgress"> = {
        target,
        mode: command.mode,
        cascade: command.cascade,
        allowOutOfOrder: command.allowOutOfOrder,
        dryRun: command.dryRun || command.name === "plan",
        ...lockOptions(command),
        strictVersions: command.strictVersions || ctx.strictVersionsEnv(),
        ...(command.migrationLockTimeoutMs !== undefined ? { migrationLockTimeoutMs: command.migrationLockTimeoutMs } : {}),
        ...(command.lockRetries !== undefined ? { lockRetries: command.lockRetries } : {}),
        ...(command.statementTimeoutMs !== undefined ? { statementTimeoutMs: command.statementTimeoutMs } : {}),
      };
      await announceLockWait(ctx);
      const { report, migration } = await initDatabase({
        db,
        // --package narrows migrate to a package and what it needs; plan and rollback must see
        // every package, or they could not find (and refuse or cascade to) the dependents.
        manifests: command.name === "migrate" ? selected : all,
        partial: command.name === "migrate" && selected.length < all.length,
        mode: "production",
        migrate: options,
        onProgress: command.json ? undefined : (event) => ctx.note(formatProgress(event, c)),
      });
      if (options.dryRun && command.sql) {
        const sql = planSql(all, migration.plan.steps);
        print({ plan: migration.plan, sql }, () => [formatPlan(migration.plan, c), ...sql.map(formatSqlPreview)].join("\n\n"));
      } else if (options.dryRun) print({ plan: migration.plan }, () => formatPlan(migration.plan, c));
      else print({ report }, () => formatInitReport(report, { command: command.name }));
      return 0;
    }
    case "repair": {
      await announceLockWait(ctx);
      const result = await repairChecksums(db, selected, { ...(command.package ? { package: command.package } : {}), ...lockOptions(command) });
      print({ ...result }, () =>
        result.repaired.length ? result.repaired.map((r) => `repaired ${r.package} ${r.id}: ${r.previous} → ${r.checksum}`).join("\n") : "no checksum differs: nothing to repair",
      );
      return 0;
    }
    case "baseline": {
      await announceLockWait(ctx);
      const options = { ...lockOptions(command), ...(command.dryRun ? { dryRun: true } : {}) };
      const result = command.to
        ? await baselineToVersion(db, all, command.to, options)
        : await baselineFromDrizzle(db, all, { ...options, drizzleTables: command.drizzleTables });
      print({ ...result }, () => formatBaseline(result, c));
      return 0;
    }
    case "resolve": {
      await announceLockWait(ctx);
      const [pkg, id] = command.args as [string, string];
      const entry = await resolveMigration(db, all, { package: pkg, id, as: command.resolveAs! }, lockOptions(command));
      print({ package: entry.package, id: entry.id, direction: entry.direction }, () =>
        `recorded ${entry.package} ${entry.id} as ${command.resolveAs} (nothing was run); \`ydtb-db status --migrations\` shows it`,
      );
      return 0;
    }
    case "reset": {
      const result = await dropEverything(db, all);
      print({ database: db.label, ...result }, () => `dropped ${result.tables.length} tables and the history from ${db.label}`);
      return 0;
    }
    default:
      throw new UsageError(`${command.name} does not open a database`);
  }
}
