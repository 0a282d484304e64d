import type { Conflict } from "../model/conflict.ts";
import { MigrateError } from "./migrate-error.ts";

/** Base class of the errors the planner throws before anything runs. */
export class PlanError extends MigrateError {}

/** The plan found conflicts between the code and the history; nothing ran. */
export class PlanConflictError extends PlanError {
  constructor(readonly conflicts: readonly Conflict[]) {
    super(
      "PLAN_CONFLICTS",
      `${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"} between the migrations and the database history; nothing was run:\n` +
        conflicts.map((c) => `  - [${c.kind}] ${c.message}`).join("\n"),
    );
  }
}

/** A target names a package or version that does not exist. */
export class UnknownTargetError extends PlanError {
  constructor(message: string) {
    super("UNKNOWN_TARGET", message);
  }
}

/** A migration the plan must undo has no down; nothing ran. */
export class IrreversibleMigrationError extends PlanError {
  constructor(readonly migrations: readonly { readonly package: string; readonly id: string; readonly file?: string }[]) {
    super(
      "NO_DOWN_MIGRATION",
      `The plan must undo ${migrations.length} migration${migrations.length === 1 ? "" : "s"} that ha${migrations.length === 1 ? "s" : "ve"} no down; nothing was run:\n` +
        migrations.map((m) => `  - "${m.package}" ${m.id}${m.file ? ` (write ${m.file.replace(/\.sql$/, ".down.sql")})` : " (add down(db) to the migration)"}`).join("\n"),
    );
  }
}

/** A rollback would leave dependents' applied migrations without what they need; `--cascade` undoes them too. */
export class RollbackBlockedError extends PlanError {
  constructor(
    readonly packageName: string,
    readonly dependents: readonly { readonly package: string; readonly ids: readonly string[] }[],
  ) {
    super(
      "ROLLBACK_BLOCKED_BY_DEPENDENTS",
      `Rolling back "${packageName}" would leave applied migrations of packages that depend on it:\n` +
        dependents.map((d) => `  - "${d.package}": ${d.ids.join(", ")}`).join("\n") +
        `\nRun it again with --cascade (cascade: true) to undo those first, or roll back the dependents yourself.`,
    );
  }
}

/** `mode: "all"` was asked for a plan that holds a migration that cannot run in a transaction. */
export class NonTransactionalInAllModeError extends PlanError {
  constructor(readonly migrations: readonly { readonly package: string; readonly id: string }[]) {
    super(
      "NON_TRANSACTIONAL_IN_ALL_MODE",
      `mode "all" applies the plan in one transaction, but ${migrations.map((m) => `"${m.package}" ${m.id}`).join(", ")} must run outside a transaction; nothing was run. ` +
        `Use the default mode "per-migration".`,
    );
  }
}
