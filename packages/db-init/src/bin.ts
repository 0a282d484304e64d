#!/usr/bin/env bun
import { fastMigrate } from "./stamp/fast-migrate.ts";

// A no-op `ydtb-db migrate` is answered by the boot stamp without loading the CLI, the engine or
// any package's schema; anything else (or a stamp that does not hold) runs the full CLI.
const argv = process.argv.slice(2);
const io = { stdout: (text: string) => process.stdout.write(`${text}\n`), env: process.env, cwd: process.cwd() };
process.exitCode = (await fastMigrate(argv, io)) ?? (await (await import("./run-cli.ts")).runCli(argv));
