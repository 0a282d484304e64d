import pkg from "../../package.json" with { type: "json" };
import { COMMAND_SPECS, COMMANDS, OPTIONS, type CommandName } from "./command-specs.ts";

/** The version `ydtb-db --version` prints: the @ydtb/db-init package version. */
export const CLI_VERSION: string = pkg.version;

/** What `ydtb-db --help` prints: every command in one line, the exit codes. */
export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.length));
  return [
    "Usage: ydtb-db <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.padEnd(width)}  ${COMMAND_SPECS[c].summary}`),
    "",
    "Run `ydtb-db <command> --help` (or `ydtb-db help <command>`) for its options and examples.",
    "Every command takes --json (one object: { ok: true, command, … } or { ok: false, command, error: { code, message, causes } }),",
    "--root <dir>, --verbose (stack traces on failure) and -h/--help. `ydtb-db --version` prints the version.",
    "Colour is used on a terminal; NO_COLOR=1 or a pipe turns it off.",
    "",
    "Exit codes: 0 ok · 1 validation or migration failure · 2 usage error",
  ].join("\n");
}

/**
 * The help of one command: synopsis, options, JSON shape and examples.
 *
 * @example
 * console.log(commandHelp("migrate"));
 */
export function commandHelp(name: CommandName): string {
  const spec = COMMAND_SPECS[name];
  const flag = (o: keyof typeof OPTIONS) => {
    const opt = OPTIONS[o];
    const short = "short" in opt ? `-${opt.short}, ` : "";
    return `${short}--${o}${"value" in opt ? ` ${opt.value}` : ""}`;
  };
  const width = Math.max(...spec.options.map((o) => flag(o).length));
  return [
    `Usage: ydtb-db ${name}${spec.usage ? ` ${spec.usage}` : ""} [options]`,
    "",
    spec.summary,
    "",
    "Options:",
    ...spec.options.map((o) => `  ${flag(o).padEnd(width)}  ${OPTIONS[o].help}`),
    ...(spec.json ? ["", `--json prints: ${spec.json}`, "  on failure: { ok: false, command, error: { code, message, causes: [{ code?, message }] }, … }"] : []),
    "",
    "Examples:",
    ...spec.examples.map((e) => `  ${e}`),
  ].join("\n");
}
