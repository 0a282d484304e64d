import { expect, test } from "bun:test";
import type { Database } from "@ydtb/db-client";
import { createRegistry } from "@ydtb/db-registry";
import { describeDatabases } from "@ydtb/test-db";
import { initDatabase } from "../src/index.ts";
import { workspaceManifests } from "./helpers.ts";

test("initDatabase without rootDir, registry or manifests is a TypeError, before any query", async () => {
  const db = { label: "none" } as unknown as Database;
  const error = await initDatabase({ db }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect([error?.constructor, error?.message]).toEqual([TypeError, "initDatabase needs rootDir, registry or manifests"]);
});

describeDatabases("initDatabase with a filled registry", (target) => {
  test("migrates the registry's manifests and returns that registry, registering nothing again", async () => {
    const db = await target.fresh();
    const registry = createRegistry({ mode: "development" });
    for (const m of await workspaceManifests()) registry.registerDatabase(m);
    const events: string[] = [];
    registry.on("registered", ({ manifest }) => events.push(`registered ${manifest.packageName}`));
    registry.on("replaced", ({ manifest }) => events.push(`replaced ${manifest.packageName}`));
    const result = await initDatabase({ db, registry, mode: "development" });
    expect(result.registry).toBe(registry);
    expect([result.report.ok, result.report.mode, result.report.applied, result.report.packages.map((p) => p.name).sort()]).toEqual([true, "development", 6, ["@ydtb/basic", "@ydtb/core"]]);
    expect(events).toEqual([]);
  });
});
