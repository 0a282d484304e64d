import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { defineDatabase, isDatabaseManifest, type DatabaseManifest, type Diagnostic } from "@ydtb/db-registry";
import basicDatabase from "../../basic/src/database.ts";
import * as coreSchema from "../../db-core/src/schema/index.ts";
import { validateManifest } from "../src/index.ts";
import { applyFixes } from "./apply-fix.ts";
import { coreDatabase, pkg } from "./builders.ts";

// The suite's side of "every suggestion is checked": a fixture module that trips a rule, the
// fixes its diagnostics carry applied to its source (./apply-fix.ts), and the results written
// where strict tsc, the validator and drizzle-kit + our engine can take them.

export const FIXTURES_DIR = join(import.meta.dir, "fixtures", "fixes");
/** Ignored by git (`.tmp/`), inside the package so the copies resolve its dependencies. */
export const APPLIED_DIR = join(import.meta.dir, "..", ".tmp", "applied");

/** A fixture: its file in fixtures/fixes and the rule it trips. */
export interface Fixture {
  readonly file: string;
  readonly rule: string;
}

/** One fixture with one fix option applied. */
export interface Applied {
  readonly fixture: Fixture;
  readonly option: number;
  readonly packageName: string;
  readonly path: string;
  readonly source: string;
}

export const packageNameOf = (file: string) => `@ydtb/fx${file.replace(/\.ts$/, "").replace(/-/g, "")}`;

/** What every fixture is validated and migrated with. */
export const REGISTERED: readonly DatabaseManifest[] = [coreDatabase, basicDatabase];

/**
 * The fixture's module as a manifest, validated with core and basic: its default export when it
 * has one (a fixture of a manifest rule), else its exports described fully (documentation quiet).
 */
export async function validateModule(path: string, packageName: string): Promise<{ manifest: DatabaseManifest; diagnostics: readonly Diagnostic[] }> {
  const { default: own, ...exports } = (await import(path)) as Record<string, unknown>;
  const manifest = isDatabaseManifest(own) ? own : pkg(packageName, exports);
  if (manifest.packageName !== packageName) throw new Error(`${path} declares ${manifest.packageName}, not ${packageName}`);
  return { manifest, diagnostics: validateManifest(manifest, REGISTERED).diagnostics };
}

/**
 * Applies, for each fix option, that option of every diagnostic of the fixture's rule (a
 * diagnostic with fewer options keeps its last), and writes each result to {@link APPLIED_DIR}.
 */
export function applyAll(fixture: Fixture, diagnostics: readonly Diagnostic[]): Applied[] {
  const own = diagnostics.filter((d) => d.rule === fixture.rule);
  const options = Math.max(0, ...own.map((d) => d.fixes?.length ?? 0));
  const original = readFileSync(join(FIXTURES_DIR, fixture.file), "utf8");
  const out: Applied[] = [];
  for (let option = 0; option < options; option++) {
    const chosen = own.flatMap((d) => {
      const fix = d.fixes?.[Math.min(option, d.fixes.length - 1)];
      return fix ? [fix] : [];
    });
    const source = applyFixes(original, chosen);
    const path = join(APPLIED_DIR, `${fixture.file.replace(/\.ts$/, "")}-${option}.ts`);
    writeFileSync(path, source);
    out.push({ fixture, option, packageName: packageNameOf(fixture.file), path, source });
  }
  return out;
}

export function resetAppliedDir(): void {
  rmSync(APPLIED_DIR, { recursive: true, force: true });
  mkdirSync(APPLIED_DIR, { recursive: true });
  // Strict like the packages: the copies are checked with the repository's base options.
  writeFileSync(join(APPLIED_DIR, "tsconfig.json"), JSON.stringify({ extends: "../../tsconfig.json", include: ["*.ts"] }));
}

/** Strict tsc over every applied copy at once: the error lines, by file name. */
export async function typecheckApplied(): Promise<Map<string, string[]>> {
  const tsc = join(import.meta.dir, "..", "..", "..", "node_modules", ".bin", "tsc");
  const run = Bun.spawn([tsc, "--noEmit", "-p", join(APPLIED_DIR, "tsconfig.json")], { stdout: "pipe", stderr: "pipe" });
  const text = (await new Response(run.stdout).text()) + (await new Response(run.stderr).text());
  await run.exited;
  const errors = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const file = /([\w.-]+\.ts)\(\d+,\d+\): error/.exec(line)?.[1];
    if (file) errors.set(file, [...(errors.get(file) ?? []), line]);
  }
  if (run.exitCode !== 0 && errors.size === 0) throw new Error(`tsc failed without a located error:\n${text}`);
  return errors;
}

const coreJson = async () => (await import("drizzle-kit/api")).generateDrizzleJson({ ...coreSchema });

/**
 * A package over an applied copy whose one migration is drizzle-kit's SQL for its schema
 * (generated against core's, as `drizzle-kit generate` would write it).
 */
export async function migratablePackage(applied: Applied, manifest: DatabaseManifest): Promise<DatabaseManifest> {
  const { generateDrizzleJson, generateMigration } = await import("drizzle-kit/api");
  const before = await coreJson();
  // A plain object: drizzle-kit's generateDrizzleJson fails on a module namespace (null prototype).
  const statements = await generateMigration(before, generateDrizzleJson({ ...coreSchema, ...manifest.schema }, before.id));
  return defineDatabase({
    packageName: applied.packageName,
    version: "1.0.0",
    schema: manifest.schema,
    migrations: [
      {
        id: `0000_${applied.fixture.file.replace(/\.ts$/, "")}_${applied.option}`,
        up: async (db) => {
          for (const s of statements) await db.execute(sql.raw(s));
        },
      },
    ],
    dependencies: manifest.dependencies,
    descriptions: manifest.descriptions,
  });
}
