import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SqlSession } from "@ydtb/db-client";

const folder = join(import.meta.dir, "../drizzle");

/** Runs one committed migration file of this package, statement by statement. */
export async function applyFile(db: SqlSession, file: string): Promise<void> {
  const statements = readFileSync(join(folder, file), "utf8")
    .split("--> statement-breakpoint")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of statements) await db.exec(s);
}
