import { describe, expect, test } from "bun:test";
import { pgEnum, pgTable, text, varchar } from "drizzle-orm/pg-core";
import { createRegistry, defineDatabase, ManifestError, RegistryError } from "../src/index.ts";
import { input, schemaFor } from "./builders.ts";

/** Inputs generated per run; the seed is printed when one of them breaks the contract. */
const RUNS = 2500;
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

// mulberry32: small, seedable, good enough to spread inputs.
function random(seedValue: number) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const table = pgTable("ydtb_fuzz_items", { workspaceId: varchar("workspace_id", { length: 20 }).notNull(), id: text("id").primaryKey() });
const mood = pgEnum("ydtb_fuzz_mood", ["a", "b"]);
const FIELDS = ["packageName", "version", "schema", "migrations", "dependencies", "tools", "descriptions", "exemptions", "globalTables", "extensions", "extra"];

function generator(next: () => number) {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const str = () => pick(["", " ", "x", "@ydtb/x", "@ydtb/core", "1.0.0", "^1.0.0", "*", "ydtb_fuzz_items", "workspace_id", "naming", "pg_trgm", "./drizzle", "file:///tmp/d", "a b", "\u0000", "é", "__proto__", "constructor", "toString", "1.x.y"]);
  const value = (depth: number): unknown => {
    const kind = Math.floor(next() * (depth > 2 ? 14 : 20));
    switch (kind) {
      case 0: return null;
      case 1: return undefined;
      case 2: return pick([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]);
      case 3: case 4: return str();
      case 5: return pick([true, false]);
      case 6: return Symbol("s");
      case 7: return 10n;
      case 8: return () => {};
      case 9: return new URL(pick(["http://example.com/x", "file:///tmp/drizzle", "data:,x", "file:///"]));
      case 10: return pick([new Date(0), new Map(), new Set(), /x/, new Error("e")]);
      case 11: return pick([table, mood]);
      case 12: return Object.create(null);
      case 13: return Object.assign(Object.create(null), { id: str(), up: () => {}, name: str() });
      default: {
        if (next() < 0.4) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
        const out: Record<string, unknown> = next() < 0.2 ? Object.create(null) : {};
        // Own properties, defined rather than assigned: a "__proto__" key must not give `out` a
        // frozen prototype whose read-only fields would then refuse the next assignment.
        for (let i = Math.floor(next() * 4); i > 0; i--) {
          const key = pick([str(), "id", "up", "down", "name", "rule", "table", "reason", "description", "columns", "transaction"]);
          Object.defineProperty(out, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
    }
  };
  return () => {
    if (next() < 0.1) return value(0);
    const base: Record<string, unknown> = { ...input({ schema: schemaFor("fuzz") }) };
    for (let i = 1 + Math.floor(next() * 3); i > 0; i--) base[pick(FIELDS)] = value(0);
    return base;
  };
}

const describeInput = (v: unknown) => {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" || typeof x === "symbol" || typeof x === "function" ? String(x) : x))?.slice(0, 300);
  } catch {
    return String(v); // a value JSON cannot show (cycle): its string form is enough to find it again with the seed
  }
};

describe(`defineDatabase and registerDatabase under ${RUNS} generated inputs (seed ${seed}; rerun with FUZZ_SEED=${seed})`, () => {
  test("throw only their documented error classes, each issue with a message", () => {
    const next = random(seed);
    const make = generator(next);
    const broken: string[] = [];
    let accepted = 0;
    for (let run = 0; run < RUNS; run++) {
      const candidate = make();
      for (const call of [() => defineDatabase(candidate as never), () => createRegistry().registerDatabase(candidate as never)]) {
        try {
          call();
          accepted++;
        } catch (error) {
          const documented = error instanceof RegistryError && typeof error.code === "string";
          const issuesOk = !(error instanceof ManifestError) || (error.issues.length > 0 && error.issues.every((i) => typeof i.message === "string" && i.message.length > 0));
          if (!documented || !issuesOk) broken.push(`run ${run}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} for ${describeInput(candidate)}`);
        }
      }
    }
    if (broken.length > 0) throw new Error(`seed ${seed} (FUZZ_SEED=${seed} to rerun): ${broken.length} inputs broke the contract:\n${broken.slice(0, 10).join("\n")}`);
    // The generator must reach both outcomes, or it tests nothing.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(RUNS * 2);
  });
});
