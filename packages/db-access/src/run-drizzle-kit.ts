/** How a `drizzle-kit generate` run ended, as far as we can tell from outside. */
export type DrizzleKitOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string };

/**
 * Runs `drizzle-kit generate` in `cwd` with the terminal (it may ask about a rename, and the
 * person answers), its standard error copied through to ours as it comes and also read: drizzle-kit
 * exits 0 when it cannot import a schema (MODULE_NOT_FOUND is printed, nothing is written), so
 * an error on standard error counts as a failure even with exit code 0.
 *
 * @example
 * const outcome = await runDrizzleKitGenerate(process.cwd(), ["--name", "archived"]);
 * if (!outcome.ok) console.error(outcome.message);
 */
export async function runDrizzleKitGenerate(cwd: string, forwarded: readonly string[]): Promise<DrizzleKitOutcome> {
  const child = Bun.spawn([process.execPath, "x", "drizzle-kit", "generate", ...forwarded], { cwd, stdin: "inherit", stdout: "inherit", stderr: "pipe" });
  let stderr = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stderr) {
    process.stderr.write(chunk);
    stderr += decoder.decode(chunk, { stream: true });
  }
  const code = await child.exited;
  if (code !== 0) return { ok: false, message: `drizzle-kit generate exited with ${code}; no policy migration written.` };
  const error = firstErrorLine(stderr);
  if (error) {
    return {
      ok: false,
      message:
        `drizzle-kit generate printed "${error}" but exited 0 (it does so when a schema module cannot be imported), ` +
        "so it may have written nothing; no policy migration written. Fix the error above and run db:generate again.",
    };
  }
  return { ok: true };
}

/** The first line of drizzle-kit's standard error that reports an error, if any. */
export function firstErrorLine(stderr: string): string | undefined {
  return stderr
    .split("\n")
    .map((line) => line.trim())
    .find((line) => /^(\w*Error\b|error:)/i.test(line));
}
