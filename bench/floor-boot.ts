// The floor of a whole-process boot: a Bun process that connects and runs `select 1`.
// Usage: bun bench/floor-boot.ts <database url>
import postgres from "postgres";

const [url] = process.argv.slice(2);
if (!url) throw new Error("usage: bun bench/floor-boot.ts <database url>");
const sql = postgres(url, { max: 1, onnotice: () => {} });
try {
  await sql`select 1`;
} finally {
  await sql.end({ timeout: 2 });
}
