// Placeholder boot until the initialisation pipeline lands: opens the embedded database and reports.
import { openDatabase } from "@ydtb/db-client";
const db = await openDatabase({ dataDir: new URL("../.data", import.meta.url).pathname });
console.log(`ydtb core: database ${db.label} open`);
await db.close();
