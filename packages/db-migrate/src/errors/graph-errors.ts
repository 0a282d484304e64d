import { MigrateError } from "./migrate-error.ts";

/** The package dependencies form a cycle; `path` is the cycle, first package repeated at the end. */
export class DependencyCycleError extends MigrateError {
  constructor(readonly path: readonly string[]) {
    super(
      "DEPENDENCY_CYCLE",
      `Package dependencies form a cycle: ${path.join(" → ")}. ` +
        `Migrations can only be ordered when dependencies point one way: remove one of these dependencies (move the shared tables to a package both depend on).`,
    );
  }
}

/** A package depends on a package that is not registered. */
export class MissingDependencyError extends MigrateError {
  constructor(
    readonly packageName: string,
    readonly dependency: string,
    readonly range: string,
  ) {
    super(
      "MISSING_DEPENDENCY",
      `"${packageName}" depends on "${dependency}" (${range}), which is not registered. ` +
        `Add "${dependency}" to the workspace (its src/database.ts must export defineDatabase(...)), or remove it from the dependencies of "${packageName}".`,
    );
  }
}

/** An installed package version is outside the range a dependent declares. */
export class DependencyVersionError extends MigrateError {
  constructor(
    readonly packageName: string,
    readonly dependency: string,
    readonly range: string,
    readonly installed: string,
  ) {
    super(
      "DEPENDENCY_VERSION_MISMATCH",
      `"${packageName}" needs "${dependency}" ${range}, but "${dependency}" is ${installed}. ` +
        `Widen the range in the manifest of "${packageName}" (dependencies["${dependency}"]), or install a version of "${dependency}" that satisfies it.`,
    );
  }
}
