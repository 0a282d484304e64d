import type { DatabaseManifest } from "@ydtb/db-registry";

/** An object and the manifest that declares it. */
export interface Owned<T> {
  readonly object: T;
  readonly manifest: DatabaseManifest;
}

/**
 * A function from a validated set of manifests to its objects by key (the objects of every
 * manifest that share a key together), built once per set: a rule comparing names between
 * packages rebuilding it per package is quadratic in the number of packages (0.6 s of a
 * 200-package boot).
 *
 * @example
 * const ownersOf = ownersIndex(namedObjects, (o) => `${o.schema}.${o.name}`);
 * ownersOf(ctx.manifests).get("public.ydtb_crm_status"); // [{ object, manifest }, …]
 */
export function ownersIndex<T>(objectsOf: (manifest: DatabaseManifest) => readonly T[], keyOf: (object: T) => string): (manifests: readonly DatabaseManifest[]) => ReadonlyMap<string, readonly Owned<T>[]> {
  const bySet = new WeakMap<readonly DatabaseManifest[], ReadonlyMap<string, readonly Owned<T>[]>>();
  return (manifests) => {
    const cached = bySet.get(manifests);
    if (cached) return cached;
    const index = new Map<string, Owned<T>[]>();
    for (const manifest of manifests) {
      for (const object of objectsOf(manifest)) {
        const list = index.get(keyOf(object));
        if (list) list.push({ object, manifest });
        else index.set(keyOf(object), [{ object, manifest }]);
      }
    }
    bySet.set(manifests, index);
    return index;
  };
}
