import { InvalidDatabaseUrlError } from "./errors.ts";

/** The parts of a PostgreSQL URL this package needs, without the password. */
export interface DatabaseEndpoint {
  /** Host name, IP address, or a directory holding the server's Unix socket. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

/** Port PostgreSQL listens on when the URL names none. */
export const DEFAULT_POSTGRES_PORT = 5432;

const MASK = "***";

/**
 * The URL with its password replaced by `***`: safe to print. Works on unparseable text too
 * (whatever sits between `user:` and `@`, and any `password=` parameter, is masked).
 *
 * @example
 * maskDatabaseUrl("postgres://app:s3cret@db:5432/prod"); // "postgres://app:***@db:5432/prod"
 * maskDatabaseUrl("postgres://app:s3cret@db:port/prod"); // "postgres://app:***@db:port/prod"
 */
export function maskDatabaseUrl(url: string): string {
  let masked: string | undefined;
  const u = URL.canParse(url) ? new URL(url) : undefined;
  // Unparseable, or without an authority ("app:pw@db/x" parses as scheme "app:" with the
  // password in the path): masked by shape instead.
  if (u?.host) {
    if (u.password) u.password = MASK;
    masked = u.toString();
  }
  return (masked ?? maskByShape(url)).replace(/([?&]password=)[^&#]*/gi, `$1${MASK}`);
}

/** Masks `user:password@` by position: from the first ":" after an optional `scheme://` to the last "@". */
function maskByShape(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? "";
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf("@");
  const colon = rest.indexOf(":");
  if (at < 0 || colon < 0 || colon > at) return url;
  return `${scheme}${rest.slice(0, colon + 1)}${MASK}${rest.slice(at)}`;
}

/**
 * Reads a PostgreSQL URL. Throws `InvalidDatabaseUrlError` (`INVALID_DATABASE_URL`) when it does
 * not parse or its scheme is not `postgres:` / `postgresql:`; the error shows the URL masked.
 * A `host=` parameter (e.g. a Unix socket directory) wins over the URL's host, as in libpq.
 *
 * @example
 * parseDatabaseUrl("postgres://app@db/prod"); // { host: "db", port: 5432, database: "prod", user: "app" }
 */
export function parseDatabaseUrl(url: string): DatabaseEndpoint {
  // Checked with canParse, not caught: the parser's error repeats the URL, password included.
  if (!URL.canParse(url)) throw new InvalidDatabaseUrlError(maskDatabaseUrl(url), "cannot be parsed as a URL");
  const u = new URL(url);
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new InvalidDatabaseUrlError(maskDatabaseUrl(url), `has the scheme "${u.protocol.slice(0, -1)}", not postgres or postgresql`);
  }
  const host = u.searchParams.get("host") || decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, "$1");
  if (!host) throw new InvalidDatabaseUrlError(maskDatabaseUrl(url), "names no host");
  const port = u.port ? Number(u.port) : Number(u.searchParams.get("port") ?? DEFAULT_POSTGRES_PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new InvalidDatabaseUrlError(maskDatabaseUrl(url), "has no valid port");
  const user = decodeURIComponent(u.username) || u.searchParams.get("user") || "postgres";
  const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || user;
  return { host, port, database, user };
}
