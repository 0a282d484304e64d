import { createRegistry, type Registry, type RegistryOptions } from "@ydtb/db-registry";
import { validateManifest } from "./validate-manifest.ts";

/**
 * Options of {@link createValidatingRegistry}: those of `createRegistry` but the validator.
 *
 * @example
 * createValidatingRegistry({ mode: "development" });
 */
export type ValidatingRegistryOptions = Omit<RegistryOptions, "validate">;

/**
 * A registry that validates every manifest with {@link validateManifest}: a manifest with
 * errors makes `registerDatabase()` throw one `SchemaValidationError` listing every
 * diagnostic, and nothing is registered; warnings come back in the registration.
 *
 * @example
 * const registry = createValidatingRegistry({ mode: "development" });
 * registry.registerDatabase(coreDatabase);
 * const { warnings } = registry.registerDatabase(notesManifest);
 */
export function createValidatingRegistry(options: ValidatingRegistryOptions = {}): Registry {
  return createRegistry({ ...options, validate: validateManifest });
}
