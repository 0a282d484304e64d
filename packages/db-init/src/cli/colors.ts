import pc from "picocolors";

/** The colours the command line uses; all identity functions when colour is off. */
export type Colors = Pick<typeof pc, "bold" | "dim" | "red" | "green" | "yellow" | "cyan">;

/**
 * Colour on when writing to a terminal, unless `NO_COLOR` is set (any value) or `FORCE_COLOR=0`;
 * `FORCE_COLOR` (non-zero) forces it on.
 *
 * @example
 * const c = colorsFor({ isTTY: process.stdout.isTTY, env: process.env });
 * console.log(c.green("ok"));
 */
export function colorsFor(target: { readonly isTTY: boolean; readonly env: Readonly<Record<string, string | undefined>> }): Colors {
  const { env } = target;
  const on = env.NO_COLOR !== undefined && env.NO_COLOR !== "" ? false : env.FORCE_COLOR !== undefined ? env.FORCE_COLOR !== "0" : target.isTTY;
  return pc.createColors(on);
}

/** A wait in words: `300 ms`, `60 s`. */
export function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
