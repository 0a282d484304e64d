import { describe, expect, test } from "bun:test";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { foreignKey, index, pgTable, primaryKey, text, timestamp, unique, type PgTable } from "drizzle-orm/pg-core";
import { validateManifest, validateManifests } from "../src/index.ts";
import { coreDatabase, pkg, scoped } from "./builders.ts";

/** `packages` packages of `tables` tables each; every table references the previous one, and each package's first table references the previous package's. */
function workspace(packages: number, tables: number): DatabaseManifest[] {
  const manifests: DatabaseManifest[] = [coreDatabase];
  let previousFirst: PgTable | undefined;
  for (let p = 0; p < packages; p++) {
    const short = `p${p}`;
    const schema: Record<string, PgTable> = {};
    let previous: (PgTable & { workspaceId: never; id: never }) | undefined;
    for (let n = 0; n < tables; n++) {
      const name = `ydtb_${short}_t${n}`;
      const parent = previous ?? (previousFirst as typeof previous);
      const table = pgTable(
        name,
        { ...scoped(), title: text("title").notNull(), parentId: text("parent_id"), slug: text("slug").notNull(), createdAt: timestamp("created_at", { withTimezone: true }).notNull() },
        (t) => [
          primaryKey({ name: `${name}_pk`, columns: [t.workspaceId, t.id] }),
          unique(`${name}_slug_unique`).on(t.workspaceId, t.slug),
          index(`${name}_created_idx`).on(t.workspaceId, t.createdAt),
          ...(parent ? [foreignKey({ name: `${name}_parent_fk`, columns: [t.workspaceId, t.parentId], foreignColumns: [parent.workspaceId, parent.id] })] : []),
        ],
      );
      schema[`t${n}`] = table;
      previous = table as unknown as typeof previous;
    }
    previousFirst = schema.t0;
    const dependencies: Record<string, string> = { "@ydtb/core": "^1.0.0", ...(p > 0 ? { [`@ydtb/p${p - 1}`]: "^1.0.0" } : {}) };
    manifests.push(pkg(`@ydtb/${short}`, schema, { dependencies }));
  }
  return manifests;
}

// Speed is measured by `bun run bench` (validation of 250 tables), never asserted here: a
// timing bound in a test fails on a loaded machine and proves nothing on an idle one.
describe("scale", () => {
  test("250 tables across 25 packages, each referencing the previous, validate clean", () => {
    const report = validateManifests(workspace(25, 10));
    expect(report.packages).toHaveLength(26);
    expect(report.errorCount + report.warningCount).toBe(0);
  });

  test("one package of 250 tables against the registered core validates clean", () => {
    const [, big] = workspace(1, 250);
    expect(validateManifest(big as DatabaseManifest, [coreDatabase]).diagnostics).toEqual([]);
  });
});
