import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { openDatabase } from "@ydtb/db-client";
import { createPgliteDataDir } from "@ydtb/test-db";
import { addPackage, copyWorkspace } from "../../../packages/db-init/test/helpers.ts";

// The app is started as `bun run dev` starts it, on a temporary copy of the workspace and a
// temporary PGlite directory. The copy lives inside the repository (.tmp is ignored by git) so
// that the copied packages' imports of drizzle-orm and @ydtb/* resolve through its node_modules.
// Every test gets its own copy, directory and app: none depends on another's edits.

const repoRoot = resolve(import.meta.dir, "../../..");
const mainFile = join(repoRoot, "apps/core/src/main.ts");
const POLL_MS = 100;
const WAIT_MS = 20_000;

interface App {
  readonly child: Subprocess<"ignore", "pipe", "pipe">;
  readonly port: number;
  /** Every line the child printed, stdout and stderr interleaved as they arrived. */
  readonly lines: string[];
}

let root: string;
let dataDir: string;
const started: App[] = [];
const dirs: string[] = [];

function freePort(): number {
  const server = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

async function collect(stream: ReadableStream<Uint8Array>, lines: string[]): Promise<void> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of stream) {
    rest += decoder.decode(chunk, { stream: true });
    const parts = rest.split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts);
  }
  if (rest) lines.push(rest);
}

function startApp(args: readonly string[]): App {
  const port = freePort();
  const env: Record<string, string | undefined> = { ...process.env, YDTB_ROOT_DIR: root, YDTB_DATA_DIR: dataDir, PORT: String(port) };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  const child = Bun.spawn([process.execPath, mainFile, ...args], { cwd: root, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const lines: string[] = [];
  void collect(child.stdout, lines);
  void collect(child.stderr, lines);
  const app = { child, port, lines };
  started.push(app);
  return app;
}

/** A fresh workspace copy and PGlite directory, with `bun run dev` started on them and serving. */
async function devApp(): Promise<App> {
  root = copyWorkspace({ packages: ["db-core", "basic"] });
  dataDir = await createPgliteDataDir("ydtb-dev-reload-");
  dirs.push(root, dataDir);
  const dev = startApp(["--dev"]);
  await waitUntil("GET /health 200", dev, async () => ((await get(dev, "/health"))?.status === 200 ? true : undefined));
  await waitForLine(dev, 0, "ydtb-db watch: watching");
  return dev;
}

/** Edits basic's schema the way the tests below do: a new `archived` column. */
function addArchivedColumn(): void {
  const file = basicFile("src/schema.ts");
  writeFileSync(file, readFileSync(file, "utf8").replace(`    pinned: boolean("pinned")`, `    archived: boolean("archived").notNull().default(false),\n    pinned: boolean("pinned")`));
}

async function waitUntil<T>(what: string, app: App, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let waited = 0; waited <= WAIT_MS; waited += POLL_MS) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (app.child.exitCode !== null) break;
    await Bun.sleep(POLL_MS);
  }
  throw new Error(`${what}: not seen within ${WAIT_MS / 1000} s (exit code ${app.child.exitCode}); the app printed:\n${app.lines.join("\n")}`);
}

/** The index of the first line at or after `mark` that contains `text`. */
const waitForLine = (app: App, mark: number, text: string) =>
  waitUntil(`a line with ${JSON.stringify(text)}`, app, () => {
    const i = app.lines.findIndex((line, index) => index >= mark && line.includes(text));
    return i === -1 ? undefined : i;
  });

async function get(app: App, path: string): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${app.port}${path}`, { signal: AbortSignal.timeout(2_000) });
    return { status: response.status, body: await response.json() };
  } catch {
    return undefined;
  }
}

interface StatusBody {
  readonly packages: readonly { readonly package: string; readonly applied: readonly string[]; readonly pending: readonly string[] }[];
}
const appliedOf = async (app: App, pkg: string) => ((await get(app, "/api/db/status"))?.body as StatusBody | undefined)?.packages.find((p) => p.package === pkg)?.applied;

async function stop(app: App | undefined): Promise<number | null> {
  if (!app || app.child.exitCode !== null) return app?.child.exitCode ?? null;
  app.child.kill("SIGTERM");
  const code = await Promise.race([app.child.exited, Bun.sleep(10_000).then(() => undefined)]);
  if (code === undefined) {
    app.child.kill("SIGKILL");
    await app.child.exited;
    return null;
  }
  return code;
}

const basicFile = (path: string) => join(root, "packages", "basic", path);

afterEach(async () => {
  for (const app of started.splice(0)) await stop(app);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("bun run dev reloads database packages", () => {
  test("boots on PGlite, serves, and watches", async () => {
    const dev = await devApp();
    expect(await get(dev, "/health")).toEqual({ status: 200, body: { status: "ok" } });
    expect(await appliedOf(dev, "@ydtb/basic")).toEqual(["0000_notes", "0001_pinned", "0002_workspace_rls"]);
  });

  test("an edited schema prints the SQL `bun run db:generate` would write, and the registry is replaced", async () => {
    const dev = await devApp();
    const mark = dev.lines.length;
    addArchivedColumn();
    const drift = await waitForLine(dev, mark, "ydtb-db watch: drift @ydtb/basic");
    await waitForLine(dev, drift, `ALTER TABLE "ydtb_basic_notes" ADD COLUMN "archived" boolean DEFAULT false NOT NULL;`);
    await waitForLine(dev, drift, "run `bun run db:generate` in packages/basic");
    await waitForLine(dev, mark, "ydtb-db watch: replaced @ydtb/basic (tables altered: ydtb_basic_notes)");
  });

  test("the migration `bun run db:generate` writes is applied and visible in /api/db/status", async () => {
    const dev = await devApp();
    const edited = dev.lines.length;
    addArchivedColumn();
    await waitForLine(dev, edited, "ydtb-db watch: replaced @ydtb/basic");
    const mark = dev.lines.length;
    const generate = Bun.spawn([process.execPath, "run", "db:generate", "--name", "archived"], { cwd: join(root, "packages", "basic"), stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    expect(await generate.exited).toBe(0);
    await waitForLine(dev, mark, "applied up @ydtb/basic 0003_archived");
    const applied = await waitUntil("0003_archived in /api/db/status", dev, async () => {
      const ids = await appliedOf(dev, "@ydtb/basic");
      return ids?.includes("0003_archived") ? ids : undefined;
    });
    expect(applied).toEqual(["0000_notes", "0001_pinned", "0002_workspace_rls", "0003_archived"]);
  });

  test("a new package folder is discovered, registered and migrated", async () => {
    const dev = await devApp();
    const mark = dev.lines.length;
    addPackage(root, "extra");
    await waitForLine(dev, mark, "ydtb-db watch: registered @ydtb/extra");
    const applied = await waitUntil("@ydtb/extra in /api/db/status", dev, () => appliedOf(dev, "@ydtb/extra"));
    expect(applied).toEqual(["0000_init", "0001_workspace_rls"]);
  });

  test("a broken manifest is reported and the app keeps serving the last good state", async () => {
    const dev = await devApp();
    const file = basicFile("src/database.ts");
    const good = readFileSync(file, "utf8");
    const mark = dev.lines.length;
    writeFileSync(file, good.replace("  schema,\n", "  schema,,\n"));
    await waitForLine(dev, mark, "ydtb-db watch: error [DISCOVERY_FAILED] discover @ydtb/basic");
    const health = await get(dev, "/health");
    expect(health).toEqual({ status: 200, body: { status: "ok" } });
    expect(await appliedOf(dev, "@ydtb/basic")).toEqual(["0000_notes", "0001_pinned", "0002_workspace_rls"]);

    const fixed = dev.lines.length;
    writeFileSync(file, good);
    await waitForLine(dev, fixed, "ydtb-db watch: replaced @ydtb/basic");
  });

  test("SIGTERM closes the watcher and the database; the database holds every reloaded change", async () => {
    const dev = await devApp();
    const edited = dev.lines.length;
    addArchivedColumn();
    await waitForLine(dev, edited, "ydtb-db watch: replaced @ydtb/basic");
    const generated = dev.lines.length;
    const generate = Bun.spawn([process.execPath, "run", "db:generate", "--name", "archived"], { cwd: join(root, "packages", "basic"), stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    expect(await generate.exited).toBe(0);
    await waitForLine(dev, generated, "applied up @ydtb/basic 0003_archived");
    const added = dev.lines.length;
    addPackage(root, "extra");
    await waitUntil("@ydtb/extra in /api/db/status", dev, () => appliedOf(dev, "@ydtb/extra"));
    expect(dev.lines.slice(added).some((l) => l.includes("ydtb-db watch: registered @ydtb/extra"))).toBe(true);
    expect(await stop(dev)).toBe(0);
    const db = await openDatabase({ dataDir, waitForDataDirMs: 5_000 });
    try {
      const columns = await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'ydtb_basic_notes' AND column_name = 'archived'`);
      expect(columns).toHaveLength(1);
      const applied = await db.query<{ package: string; migration_id: string }>(
        `SELECT package, migration_id FROM ydtb_schema_migrations WHERE package IN ('@ydtb/basic', '@ydtb/extra') ORDER BY package, migration_id`,
      );
      expect(applied.map((r) => `${r.package} ${r.migration_id}`)).toEqual(["@ydtb/basic 0000_notes", "@ydtb/basic 0001_pinned", "@ydtb/basic 0002_workspace_rls", "@ydtb/basic 0003_archived", "@ydtb/extra 0000_init", "@ydtb/extra 0001_workspace_rls"]);
      const extra = await db.query<{ t: string | null }>(`SELECT to_regclass('public.ydtb_extra_items')::text AS t`);
      expect(extra[0]?.t).toBe("ydtb_extra_items");
    } finally {
      await db.close();
    }
  });

  test("without --dev no watcher runs", async () => {
    root = copyWorkspace({ packages: ["db-core", "basic"] });
    dataDir = await createPgliteDataDir("ydtb-dev-reload-");
    dirs.push(root, dataDir);
    const production = startApp([]);
    await waitUntil("GET /health 200", production, async () => ((await get(production, "/health"))?.status === 200 ? true : undefined));
    await waitForLine(production, 0, "ydtb core: listening");
    expect(await stop(production)).toBe(0);
    // Once the process has exited, everything it printed has been read.
    await production.child.exited;
    await Bun.sleep(POLL_MS);
    expect(production.lines.filter((l) => l.startsWith("ydtb-db watch:"))).toEqual([]);
  });
});
