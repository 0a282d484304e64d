import type { InitReport } from "./init-report.ts";

/** Base class of this package's errors: `code` is stable, the message may change. */
export class InitError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The pipeline refused to finish: discovery, validation or a migration failed.
 * `report` says how far it got and what was applied before the failure.
 */
export class InitFailedError extends InitError {
  constructor(
    readonly report: InitReport,
    message: string,
    options?: ErrorOptions,
  ) {
    super("INIT_FAILED", message, options);
  }
}

/** The command line was called wrongly (exit code 2). */
export class UsageError extends InitError {
  constructor(message: string) {
    super("USAGE", message);
  }
}

/** `reset --force` in production. */
export class ResetRefusedError extends InitError {
  constructor() {
    super("RESET_REFUSED", "reset refuses to run with NODE_ENV=production: it drops every registered table and the history. Unset NODE_ENV on a development database.");
  }
}
