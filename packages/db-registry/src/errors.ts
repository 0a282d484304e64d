import type { Diagnostic } from "./diagnostic.ts";

/** Base class of this package's errors: `code` is stable, the message may change. */
export class RegistryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem found in a manifest, with the path of the field at fault. */
export interface ManifestIssue {
  /** Where, e.g. `dependencies["@ydtb/x"]` or `migrations[2].id`. */
  readonly path: string;
  readonly message: string;
}

/** `defineDatabase()` was given bad input: `issues` lists every problem, not only the first. */
export class ManifestError extends RegistryError {
  constructor(
    readonly packageName: string | undefined,
    readonly issues: readonly ManifestIssue[],
    options?: ErrorOptions,
  ) {
    const who = packageName ? `"${packageName}"` : "a package";
    super(
      "INVALID_MANIFEST",
      `defineDatabase() for ${who} has ${issues.length} problem${issues.length === 1 ? "" : "s"}:\n` +
        issues.map((i) => `  - ${i.path ? `${i.path}: ` : ""}${i.message}`).join("\n"),
      options,
    );
  }
}

/** Something other than a `defineDatabase()` result was registered. */
export class NotAManifestError extends RegistryError {
  constructor(readonly received: string) {
    super(
      "NOT_A_MANIFEST",
      `registerDatabase() expects the result of defineDatabase({...}); it received ${received}. ` +
        `Export the manifest with \`export default defineDatabase({ ... })\` from src/database.ts and register that.`,
    );
  }
}

/** A second manifest was registered under a package name that is taken. */
export class DuplicatePackageError extends RegistryError {
  constructor(
    readonly packageName: string,
    readonly existingSource: string | undefined,
    readonly newSource: string | undefined,
  ) {
    super(
      "DUPLICATE_PACKAGE",
      `Package "${packageName}" is already registered${existingSource ? ` (from ${existingSource})` : ""}; ` +
        `a second manifest${newSource ? ` (from ${newSource})` : ""} claims the same name. ` +
        `Give the new package its own packageName, or unregisterDatabase("${packageName}") first.`,
    );
  }
}

/** Two packages claim one table name. */
export class TableConflictError extends RegistryError {
  constructor(
    readonly table: string,
    readonly owner: string,
    readonly claimant: string,
  ) {
    super(
      "TABLE_CONFLICT",
      `Table "${table}" is claimed by both "${owner}" (registered) and "${claimant}". ` +
        `Rename the table of "${claimant}" to its own prefix, e.g. "ydtb_<package>_<name>".`,
    );
  }
}

/** Two packages declare one workspace tool id (at registration, and in the tools sync of `@ydtb/db-core`). */
export class ToolConflictError extends RegistryError {
  constructor(
    readonly toolId: string,
    readonly owner: string,
    readonly claimant: string,
  ) {
    super(
      "TOOL_CONFLICT",
      `Tool id "${toolId}" is declared by both "${owner}" and "${claimant}". ` +
        `Tool ids are unique across packages: rename the tool of "${claimant}", e.g. "${claimant.split("/").pop()}-${toolId}".`,
    );
  }
}

/** A registered manifest has validation errors; `diagnostics` holds all of them (warnings too). */
export class SchemaValidationError extends RegistryError {
  constructor(
    readonly packageName: string,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      "SCHEMA_VALIDATION_FAILED",
      `"${packageName}" has ${errors.length} schema error${errors.length === 1 ? "" : "s"}; nothing was registered:\n` +
        errors
          .map(
            (d) =>
              `  - [${d.rule}] ${d.table ? `${d.table}${d.column ? `.${d.column}` : ""}: ` : ""}${d.message}` +
              (d.suggestion ? `\n      fix: ${d.suggestion.replace(/\n/g, "\n           ")}` : ""),
          )
          .join("\n"),
    );
  }
}

/** One workspace package whose manifest could not be loaded. */
export interface DiscoveryFailure {
  /** The package.json `name`. */
  readonly packageName: string;
  /** The manifest file that failed. */
  readonly file: string;
  readonly message: string;
  readonly cause: unknown;
}

/** Some workspace packages' manifests failed to load; `failures` names each with its cause. */
export class DiscoveryError extends RegistryError {
  constructor(readonly failures: readonly DiscoveryFailure[]) {
    super(
      "DISCOVERY_FAILED",
      `${failures.length} package manifest${failures.length === 1 ? "" : "s"} failed to load:\n` +
        failures.map((f) => `  - "${f.packageName}" (${f.file}): ${f.message}`).join("\n"),
      { cause: failures[0]?.cause },
    );
  }
}
