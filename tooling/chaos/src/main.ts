// `bun run chaos`: the long fault-injection run. CHAOS_SEED replays the kill points of a run;
// DATABASE_URL (or TEST_DATABASE_URL) enables the server scenarios.
import { formatSummary, LONG_CHAOS, runChaos } from "./run-chaos.ts";

const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
console.log(`chaos: seed ${seed} (replay with CHAOS_SEED=${seed})${serverUrl ? "" : "; no DATABASE_URL: PGlite scenarios only"}`);
const summaries = await runChaos({ ...LONG_CHAOS, seed }, serverUrl, (line) => console.log(line));
console.log(`\n${formatSummary(summaries)}`);
const failed = summaries.reduce((n, s) => n + s.failed, 0);
if (failed > 0) console.log(`\n${failed} trial(s) failed; replay with CHAOS_SEED=${seed}`);
process.exit(failed > 0 ? 1 : 0);
