import { schemaEntities, type DatabaseManifest, type Diagnostic, type ExemptedDiagnostic } from "@ydtb/db-registry";
import { graphDiagnostics } from "./graph-diagnostics.ts";
import { buildTableIndex } from "./rule.ts";
import { validateIndexed } from "./validate-manifest.ts";

/**
 * The diagnostics of one package in a {@link ValidationReport}, with its own totals.
 *
 * @example
 * { package: "@ydtb/notes", ok: true, errorCount: 0, warningCount: 1, diagnostics: [{ rule: "naming", … }], exempted: [], ignoredExports: [] }
 */
export interface PackageReport {
  readonly package: string;
  /** No error stands (warnings allowed). */
  readonly ok: boolean;
  readonly errorCount: number;
  readonly warningCount: number;
  /** Errors and warnings that stand, after the report's filters. */
  readonly diagnostics: readonly Diagnostic[];
  /** Diagnostics silenced by the package's exemptions, with their reasons. */
  readonly exempted: readonly ExemptedDiagnostic[];
  /** Schema exports that are no Drizzle object (constants, TypeScript enums, helpers): not read. */
  readonly ignoredExports: readonly string[];
}

/**
 * What {@link validateManifests} returns: plain data, safe to `JSON.stringify`; the one shape
 * `ydtb-db validate --json` prints.
 *
 * @example
 * const report = validateManifests(manifests);
 * console.log(JSON.stringify(report)); // { ok: true, packages: [...], errorCount: 0, warningCount: 2 }
 */
export interface ValidationReport {
  /** No error stands in any reported package. */
  readonly ok: boolean;
  /** One entry per reported manifest, in the order given. */
  readonly packages: readonly PackageReport[];
  /** Totals over the reported packages, after the filters. */
  readonly errorCount: number;
  readonly warningCount: number;
}

/**
 * What {@link validateManifests} reports. Every manifest is still validated against all the
 * others; the filters choose what is reported.
 *
 * @example
 * validateManifests(manifests, { packages: ["@ydtb/notes"], errorsOnly: true });
 */
export interface ValidateManifestsOptions {
  /** Report only these packages. Default: all. */
  readonly packages?: readonly string[];
  /** Report only diagnostics of these rules (`dependency-graph` included). Default: all. */
  readonly rules?: readonly string[];
  /** Report only diagnostics about these tables (SQL names). Default: all. */
  readonly tables?: readonly string[];
  /** Leave warnings out. Default false. */
  readonly errorsOnly?: boolean;
  /** Check the dependency graph (cycles, missing dependencies, ranges). Default true. */
  readonly graph?: boolean;
}

const keep = (options: ValidateManifestsOptions) => (d: Diagnostic) =>
  (!options.errorsOnly || d.severity === "error") &&
  (!options.rules || options.rules.includes(d.rule)) &&
  (!options.tables || (d.table !== undefined && options.tables.includes(d.table)));

/**
 * Validates a whole set of manifests, each against the others (as if all were registered),
 * building the table index once, and checks their dependency graph with the engine's own
 * graph (`dependency-graph` diagnostics at the package at fault).
 *
 * @example
 * const { manifests } = await discoverDatabases(root);
 * const report = validateManifests(manifests, { packages: ["@ydtb/notes"] });
 * if (!report.ok) process.exitCode = 1;
 * console.log(formatValidationReport(report));
 */
export function validateManifests(manifests: readonly DatabaseManifest[], options: ValidateManifestsOptions = {}): ValidationReport {
  const index = buildTableIndex(manifests);
  const graph = options.graph === false ? [] : graphDiagnostics(manifests);
  const shown = keep(options);
  const packages = manifests
    .filter((m) => !options.packages || options.packages.includes(m.packageName))
    .map((manifest): PackageReport => {
      const outcome = validateIndexed(manifest, index);
      const diagnostics = [...graph.filter((d) => d.package === manifest.packageName), ...outcome.diagnostics].filter(shown);
      const errorCount = diagnostics.filter((d) => d.severity === "error").length;
      return {
        package: manifest.packageName,
        ok: errorCount === 0,
        errorCount,
        warningCount: diagnostics.length - errorCount,
        diagnostics,
        exempted: outcome.exempted.filter((e) => shown(e.diagnostic)),
        ignoredExports: schemaEntities(manifest.schema).unknown,
      };
    });
  const errorCount = packages.reduce((n, p) => n + p.errorCount, 0);
  return { ok: errorCount === 0, packages, errorCount, warningCount: packages.reduce((n, p) => n + p.warningCount, 0) };
}
