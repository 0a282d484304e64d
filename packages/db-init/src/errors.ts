import type { Diagnostic } from "@ydtb/db-registry";
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
  constructor(message: string, options?: ErrorOptions) {
    super("USAGE", message, options);
  }
}

/** `reset --force` (or another destructive command) outside an explicit development or test environment. */
export class ResetRefusedError extends InitError {
  constructor(
    readonly nodeEnv: string | undefined,
    readonly database: string,
  ) {
    super(
      "RESET_REFUSED",
      `reset refuses to empty ${database}: NODE_ENV is ${nodeEnv === undefined || nodeEnv === "" ? "unset, which counts as production (as in the app)" : `"${nodeEnv}"`}, and reset drops every registered table and the history. ` +
        `On a development database run it with NODE_ENV=development (or test).`,
    );
  }
}

/** A manifest's `extensions` names one the database cannot create. */
export class ExtensionUnavailableError extends InitError {
  constructor(
    readonly extension: string,
    readonly packages: readonly string[],
    readonly databaseKind: "pglite" | "postgres",
  ) {
    super(
      "EXTENSION_UNAVAILABLE",
      `the extension "${extension}" (needed by ${packages.map((p) => `"${p}"`).join(", ")}) is not available on this ` +
        (databaseKind === "pglite"
          ? `PGlite database: open it with openDatabase({ extensions: ["${extension}"] }) (PGlite bundles contrib modules such as pg_trgm, and vector); the CLI and the app do this from the manifests`
          : `PostgreSQL server (not in pg_available_extensions): install its package on the server (e.g. postgresql-contrib, or pgvector for "vector"), or remove it from the manifest's extensions`),
    );
  }
}

/** Validation found schema errors in one or more packages; `diagnostics` holds every error. */
export class ValidationFailedError extends InitError {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    const packages = [...new Set(diagnostics.map((d) => `"${d.package}"`))].join(", ");
    super("SCHEMA_VALIDATION_FAILED", `${diagnostics.length} schema error${diagnostics.length === 1 ? "" : "s"} in ${packages}: nothing was migrated; \`ydtb-db validate\` lists them with their fixes`);
  }
}
