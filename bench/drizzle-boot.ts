// The peer of a whole-process boot: a Bun script a team without us would write — drizzle-orm's
// migrate() over every package's drizzle folder (core first, then by name, which is dependency
// order in the generated workspace), each with its own history table, on one connection.
// Usage: bun bench/drizzle-boot.ts <workspace root> <database url>
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

const [root, url] = process.argv.slice(2);
if (!root || !url) throw new Error("usage: bun bench/drizzle-boot.ts <workspace root> <database url>");
const packages = readdirSync(join(root, "packages")).sort((a, b) => (a === "core" ? -1 : b === "core" ? 1 : a < b ? -1 : 1));
const sql = postgres(url, { max: 1, onnotice: () => {} });
try {
  const db = drizzle({ client: sql });
  for (const name of packages) await migrate(db, { migrationsFolder: join(root, "packages", name, "drizzle"), migrationsTable: `__drizzle_${name.replace(/\W+/g, "_")}` });
} finally {
  await sql.end({ timeout: 2 });
}
