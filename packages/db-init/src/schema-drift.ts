import { relative } from "node:path";
import type { DatabaseManifest } from "@ydtb/db-registry";
import { schemaDrift } from "@ydtb/db-migrate";

/**
 * How long {@link detectSchemaDrift} waits for drizzle-kit's in-memory diff before giving up.
 *
 * @example
 * await detectSchemaDrift(manifest, { timeoutMs: DEFAULT_DRIFT_TIMEOUT_MS * 2 });
 */
export const DEFAULT_DRIFT_TIMEOUT_MS = 10_000;

/**
 * The command that writes the migration a drift asks for (run in the package, or at the root for all).
 *
 * @example
 * console.log(`run \`${GENERATE_COMMAND}\` in packages/basic`);
 */
export const GENERATE_COMMAND = "bun run db:generate";

/**
 * Whether a package's Drizzle schema agrees with its drizzle-kit migrations.
 *
 * @example
 * const drift: SchemaDrift = { kind: "drift", package: "@ydtb/basic", sql: ['ALTER TABLE "ydtb_basic_notes" ADD COLUMN "archived" boolean;'], command: GENERATE_COMMAND, cwd: "packages/basic" };
 */
export type SchemaDrift =
  | { readonly kind: "in-sync"; readonly package: string }
  /** The schema differs: `sql` is what `bun run db:generate` would write. */
  | { readonly kind: "drift"; readonly package: string; readonly sql: readonly string[]; readonly command: string; readonly cwd?: string }
  /** drizzle-kit would ask whether a table or column was renamed: only a terminal can answer. */
  | { readonly kind: "rename"; readonly package: string; readonly command: string; readonly cwd?: string }
  /** Nothing to compare (TypeScript migrations, no journal or no snapshot). */
  | { readonly kind: "skipped"; readonly package: string; readonly reason: string }
  /** drizzle-kit failed or did not answer in time. */
  | { readonly kind: "failed"; readonly package: string; readonly message: string };

/**
 * Options of {@link detectSchemaDrift}.
 *
 * @example
 * const options: DriftOptions = { rootDir: process.cwd(), timeoutMs: 5_000 };
 */
export interface DriftOptions {
  /** Default {@link DEFAULT_DRIFT_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** The workspace root: `cwd` in the result is relative to it. Default: `cwd` is absolute. */
  readonly rootDir?: string;
}

// What @ydtb/db-migrate's schemaDrift writes when drizzle-kit throws instead of diffing, and
// what drizzle-kit throws when it would prompt without a terminal.
const COULD_NOT_DIFF = "-- drizzle-kit could not diff in memory";
const PROMPT_WITHOUT_TTY = "Interactive prompts require a TTY terminal";

/**
 * Compares a package's Drizzle schema with its last drizzle-kit snapshot, in memory, with
 * `@ydtb/db-migrate`'s `schemaDrift`, and never waits on a person: drizzle-kit opens an
 * interactive prompt when it cannot tell a rename from a drop and an add, and in a terminal
 * that prompt would take over the console and block the caller. While the diff runs,
 * `process.stdout.isTTY` reads false, so drizzle-kit throws "Interactive prompts require a TTY
 * terminal" instead; that is reported as `{ kind: "rename" }`. A diff that takes longer than
 * `timeoutMs` is reported as `failed`. Never throws.
 *
 * @example
 * const drift = await detectSchemaDrift(basicManifest, { rootDir: process.cwd() });
 * // { kind: "drift", package: "@ydtb/basic", sql: ['ALTER TABLE "ydtb_basic_notes" ADD COLUMN …'], command: "bun run db:generate", cwd: "packages/basic" }
 * if (drift.kind !== "in-sync") console.log(formatSchemaDrift(drift));
 */
export async function detectSchemaDrift(manifest: DatabaseManifest, options: DriftOptions = {}): Promise<SchemaDrift> {
  const pkg = manifest.packageName;
  const cwd = manifest.packageDir ? (options.rootDir ? relative(options.rootDir, manifest.packageDir) || "." : manifest.packageDir) : undefined;
  const command = GENERATE_COMMAND;
  const timeoutMs = options.timeoutMs ?? DEFAULT_DRIFT_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const diff = withoutTerminal(() => schemaDrift(manifest));
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const result = await Promise.race([diff, timeout]);
    if (result === "timeout") return { kind: "failed", package: pkg, message: `drizzle-kit did not finish diffing the schema within ${timeoutMs} ms; run \`${command}\`${cwd ? ` in ${cwd}` : ""} to see what it wants` };
    if ("skipped" in result) return { kind: "skipped", package: pkg, reason: result.skipped };
    if (result.ok) return { kind: "in-sync", package: pkg };
    const first = result.sql[0] ?? "";
    if (result.sql.length === 1 && first.startsWith(COULD_NOT_DIFF)) {
      if (first.includes(PROMPT_WITHOUT_TTY)) return { kind: "rename", package: pkg, command, ...(cwd ? { cwd } : {}) };
      return { kind: "failed", package: pkg, message: first.replace(/^--\s*/, "") };
    }
    return { kind: "drift", package: pkg, sql: result.sql, command, ...(cwd ? { cwd } : {}) };
  } catch (error) {
    return { kind: "failed", package: pkg, message: `comparing the schema with the migrations failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Formats a drift for a terminal: the SQL `bun run db:generate` would write and the command,
 * or why it could not be computed. An in-sync schema gives one short line.
 *
 * @example
 * formatSchemaDrift({ kind: "rename", package: "@ydtb/basic", command: "bun run db:generate", cwd: "packages/basic" })
 * // '@ydtb/basic: drizzle-kit needs to ask whether this is a rename: run `bun run db:generate` in a terminal (in packages/basic)'
 */
export function formatSchemaDrift(drift: SchemaDrift): string {
  switch (drift.kind) {
    case "in-sync":
      return `${drift.package}: the Drizzle schema matches its migrations`;
    case "skipped":
      return `${drift.package}: schema drift not checked (${drift.reason})`;
    case "failed":
      return `${drift.package}: schema drift not checked: ${drift.message}`;
    case "rename":
      return `${drift.package}: drizzle-kit needs to ask whether this is a rename: run \`${drift.command}\` in a terminal${drift.cwd ? ` (in ${drift.cwd})` : ""}`;
    case "drift":
      return [
        `${drift.package}: the Drizzle schema differs from its migrations; \`${drift.command}\` would write:`,
        ...drift.sql.map((s) => s.trimEnd().replace(/^/gm, "    ")),
        `  run \`${drift.command}\`${drift.cwd ? ` in ${drift.cwd}` : ""} to write the migration`,
      ].join("\n");
  }
}

// drizzle-kit decides whether it may prompt from process.stdin.isTTY and process.stdout.isTTY
// at the moment it would ask. Nested and overlapping calls share one override, restored when
// the last diff settles (a diff abandoned on timeout keeps it until it settles, so a late
// prompt cannot grab the terminal either).
let overrides = 0;
let saved: PropertyDescriptor | undefined;

function withoutTerminal<T>(fn: () => Promise<T>): Promise<T> {
  if (overrides++ === 0) {
    saved = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");
    Object.defineProperty(process.stdout, "isTTY", { value: false, configurable: true, writable: true, enumerable: true });
  }
  const release = () => {
    if (--overrides > 0) return;
    if (saved) Object.defineProperty(process.stdout, "isTTY", saved);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
    saved = undefined;
  };
  let promise: Promise<T>;
  try {
    promise = fn();
  } catch (error) {
    release();
    throw error;
  }
  promise.then(release, release);
  return promise;
}
