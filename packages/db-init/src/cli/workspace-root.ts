import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UsageError } from "../errors.ts";

function isWorkspaceRoot(dir: string): boolean {
  const file = join(dir, "package.json");
  if (!existsSync(file)) return false;
  try {
    return Boolean((JSON.parse(readFileSync(file, "utf8")) as { workspaces?: unknown }).workspaces);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message}); fix it or pass --root`);
  }
}

/**
 * Finds the monorepo root: the nearest folder upwards whose package.json has `workspaces`.
 *
 * @example
 * findWorkspaceRoot(process.cwd()) // "/home/me/ydtb"
 */
export function findWorkspaceRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (isWorkspaceRoot(dir)) return dir;
    const up = dirname(dir);
    if (up === dir) throw new UsageError(`no package.json with "workspaces" above ${from}; run ydtb-db inside the monorepo or pass --root`);
    dir = up;
  }
}

/** `--root`, checked: a folder whose package.json has `workspaces` (a usage error otherwise). */
export function checkWorkspaceRoot(dir: string): string {
  if (!existsSync(dir)) throw new UsageError(`--root ${dir} does not exist; pass the monorepo's root folder`);
  if (!isWorkspaceRoot(dir)) throw new UsageError(`--root ${dir} has no package.json with "workspaces"; pass the monorepo's root folder`);
  return dir;
}

/** The PGlite directory the app uses, which the command line targets without DATABASE_URL. */
export function defaultDataDir(root: string): string {
  return join(root, "apps/core/.data");
}
