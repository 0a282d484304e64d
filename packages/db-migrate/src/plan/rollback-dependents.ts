import { satisfiesRange } from "../graph/satisfies-range.ts";
import type { LoadedPackage } from "../model/loaded-package.ts";
import { uniqueMigrations } from "./find-conflicts.ts";
import { schemaVersionOf } from "./schema-version.ts";

/** A dependent a rollback breaks: its applied migrations that need what the downs remove. */
export interface BrokenDependent {
  readonly package: string;
  /** The first dependency it declares that the rollback takes below its range. */
  readonly dependency: string;
  readonly range: string;
  readonly ids: readonly string[];
}

/**
 * The dependents, at any distance, whose applied migrations a rollback breaks (pure). A
 * package is broken when one of its dependencies loses migrations and is left with none, or
 * with a schema version outside the range the package declares. Packages are visited in
 * migration order and a broken one counts as rolled back too, so its own dependents are found
 * (two levels away and more).
 *
 * @example
 * brokenDependents(order, byName, applied, new Set(["@ydtb/core\u00000001_tools"]))
 */
export function brokenDependents(
  order: readonly string[],
  byName: ReadonlyMap<string, LoadedPackage>,
  applied: ReadonlyMap<string, ReadonlySet<string>>,
  downs: ReadonlySet<string>,
): BrokenDependent[] {
  const undone = new Set(downs);
  const touched = new Set([...downs].map((key) => key.split("\0")[0]!));
  const remaining = (name: string) => new Set([...(applied.get(name) ?? [])].filter((id) => !undone.has(`${name}\0${id}`)));
  const broken: BrokenDependent[] = [];
  for (const name of order) {
    const pkg = byName.get(name)!;
    const left = remaining(name);
    if (left.size === 0) continue;
    const hit = Object.entries(pkg.dependencies).find(([dep, range]) => {
      if (!touched.has(dep)) return false;
      const keep = remaining(dep);
      const version = schemaVersionOf(byName.get(dep)!, keep);
      return keep.size === 0 || version === null || !satisfiesRange(version, range);
    });
    if (!hit) continue;
    const ids = uniqueMigrations(pkg).filter((m) => left.has(m.id)).map((m) => m.id);
    broken.push({ package: name, dependency: hit[0], range: hit[1], ids });
    for (const id of ids) undone.add(`${name}\0${id}`);
    touched.add(name);
  }
  return broken;
}
