export { formatSummary, LONG_CHAOS, runChaos, SHORT_CHAOS, type ChaosConfig, type ScenarioSummary } from "./run-chaos.ts";
export { writeChaosPackage, CHAOS_PACKAGE, type ChaosPackage } from "./generate-package.ts";
export { compareSnapshots, historyVersusCatalog, lockHeld, snapshot, type Snapshot } from "./checks.ts";
