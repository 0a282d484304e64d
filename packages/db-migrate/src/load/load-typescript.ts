import type { DatabaseManifest } from "@ydtb/db-registry";
import type { LoadedMigration } from "../model/loaded-package.ts";
import { checksumTypeScript } from "./checksum.ts";

/**
 * A manifest's TypeScript migrations `{ id, up, down?, transaction?, checksumSource? }`, in
 * array order, with their checksums.
 *
 * @example
 * loadTypeScript(manifest)[0].up.kind // "typescript"
 */
export function loadTypeScript(manifest: DatabaseManifest): Omit<LoadedMigration, "version">[] {
  const definitions = manifest.migrations as Exclude<DatabaseManifest["migrations"], string>;
  return definitions.map((def, index) => {
    const transaction = def.transaction ?? true;
    return {
      package: manifest.packageName,
      id: def.id,
      index,
      checksum: checksumTypeScript(def),
      up: { kind: "typescript", run: def.up, transaction },
      ...(def.down ? { down: { kind: "typescript" as const, run: def.down, transaction } } : {}),
    };
  });
}
