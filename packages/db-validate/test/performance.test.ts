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

describe("performance", () => {
  // Timings on a shared machine only ever come out slower than the code is, so each bound
  // is checked on the best of a few runs; a cold run uses freshly built tables each time.
  test("250 tables across 25 packages validate clean, well under 20 ms on a cold start", () => {
    const cold: number[] = [];
    let manifests: DatabaseManifest[] = [];
    for (let run = 0; run < 3; run++) {
      manifests = workspace(25, 10);
      const t = performance.now();
      const report = validateManifests(manifests);
      cold.push(performance.now() - t);
      expect(report.errorCount + report.warningCount).toBe(0);
    }
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      validateManifests(manifests);
      warm.push(performance.now() - t);
    }
    const best = (xs: number[]) => Math.min(...xs);
    console.log(`validateManifests, 258 tables: cold ${cold.map((x) => x.toFixed(2)).join(" / ")} ms, warm best ${best(warm).toFixed(2)} ms`);
    expect(best(cold)).toBeLessThan(20);
    expect(best(warm)).toBeLessThan(10);
  });

  test("one package of 250 tables against the registered core validates well under 20 ms", () => {
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      const [, big] = workspace(1, 250);
      const t = performance.now();
      const outcome = validateManifest(big as DatabaseManifest, [coreDatabase]);
      times.push(performance.now() - t);
      expect(outcome.diagnostics).toEqual([]);
    }
    console.log(`validateManifest, one package of 250 tables (cold): ${times.map((x) => x.toFixed(2)).join(" / ")} ms`);
    expect(Math.min(...times)).toBeLessThan(20);
  });
});
