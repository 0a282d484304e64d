/**
 * A function that replaces the password of `url` (as written, and percent-decoded) by `***` in any
 * text: the last line of defence for what the app prints, whatever a library put in a message.
 *
 * @example
 * const redact = secretRedactor("postgres://app:s3cret@db/prod");
 * redact("failed: postgres://app:s3cret@db/prod"); // "failed: postgres://app:***@db/prod"
 */
export function secretRedactor(url: string | undefined): (text: string) => string {
  const secrets = new Set<string>();
  const raw = url ? /^[^:/?#]*:\/\/[^:@/?#]*:(.*)@/s.exec(url)?.[1] : undefined;
  if (raw) {
    secrets.add(raw);
    try {
      secrets.add(decodeURIComponent(raw));
    } catch {
      // Not valid percent-encoding: the raw form above is what could be printed.
    }
  }
  const list = [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return (text) => list.reduce((out, secret) => out.replaceAll(secret, "***"), text);
}
