#!/usr/bin/env bun
import { runCli } from "./run-cli.ts";

process.exitCode = await runCli(process.argv.slice(2), { cwd: process.cwd(), out: (line) => console.log(line), err: (line) => console.error(line) });
