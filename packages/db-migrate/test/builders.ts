import type { AppliedMigration, LoadedMigration, LoadedPackage } from "../src/index.ts";

/** A migration spec for {@link pkg}: an id, or fields to override. */
export type MigrationSpec = string | (Partial<Omit<LoadedMigration, "package" | "index">> & { readonly id: string; readonly noDown?: boolean });

/**
 * An in-memory loaded package: each migration gets checksum `sum:<id>`, a SQL up and a down
 * (unless `noDown`), and the version `released` says.
 */
export function pkg(
  name: string,
  options: { readonly version?: string; readonly deps?: Record<string, string>; readonly migrations?: readonly MigrationSpec[]; readonly released?: Record<string, readonly string[]> } = {},
): LoadedPackage {
  const released = options.released ?? {};
  const versionOf = (id: string) => Object.entries(released).find(([, ids]) => ids.includes(id))?.[0] ?? null;
  const migrations = (options.migrations ?? []).map((spec, index): LoadedMigration => {
    const s = typeof spec === "string" ? { id: spec } : spec;
    const body = (dir: string) => ({ kind: "sql" as const, file: `/fixtures/${name}/${s.id}${dir}.sql`, text: "SELECT 1", transaction: true });
    const noDown = "noDown" in s && s.noDown;
    return {
      package: name,
      id: s.id,
      index,
      checksum: s.checksum ?? `sum:${s.id}`,
      version: s.version !== undefined ? s.version : versionOf(s.id),
      up: s.up ?? body(""),
      ...(noDown ? {} : { down: s.down ?? body(".down") }),
    };
  });
  return {
    packageName: name,
    version: options.version ?? "1.0.0",
    dependencies: { ...(name === "@ydtb/core" ? {} : { "@ydtb/core": "*" }), ...options.deps },
    migrations,
    releasedVersions: Object.keys(released),
  };
}

/** Applied rows for `ids` of a package, in order, numbering after `start`. */
export function applied(packageName: string, ids: readonly string[], start = 0, checksum = (id: string) => `sum:${id}`): AppliedMigration[] {
  return ids.map((id, i) => ({ package: packageName, id, checksum: checksum(id), version: null, order: start + i + 1 }));
}

/** `direction package id` lines of a plan, for compact assertions. */
export function lines(plan: { readonly steps: readonly { direction: string; package: string; id: string }[] }): string[] {
  return plan.steps.map((s) => `${s.direction} ${s.package} ${s.id}`);
}
