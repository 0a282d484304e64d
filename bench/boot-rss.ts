// Child process of the bench: one cold boot at the given size; prints its peak RSS in bytes.
import { join } from "node:path";
import { openDatabase } from "@ydtb/db-client";
import { initDatabase } from "@ydtb/db-init";
import { generateWorkspace } from "./generate-workspace.ts";

const [url, dir, size] = process.argv.slice(2);
const [packages, migrations] = (size ?? "50x20").split("x").map(Number);
const ws = generateWorkspace(join(dir!, "ws"), { packages: packages!, migrations: migrations! });
let peak = process.memoryUsage.rss();
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 5);
const db = await openDatabase(url ? { url, max: 1 } : {});
try {
  await initDatabase({ db, manifests: ws.manifests, syncTools: false });
} finally {
  await db.close();
}
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage.rss());
console.log(peak);
