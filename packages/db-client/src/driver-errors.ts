import type { DatabaseEndpoint } from "./database-url.ts";
import { ConnectFailedError, ConnectionLostError } from "./errors.ts";
import { classifySocketError } from "./probe-endpoint.ts";

/** The SQLSTATE of a PostgreSQL error, if `error` is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

// node-postgres says these in words when the socket went away (no errno, no SQLSTATE).
const LOST_MESSAGES = /Connection terminated|not queryable|Client was closed|Connection closed/i;
const LOST_ERRNOS = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * A query's failure as callers should see it: `ConnectionLostError` when the connection died
 * (SQLSTATE class 57P0x "terminated by administrator/crash" or 08 "connection exception", or the
 * socket closed), the PostgreSQL error itself (SQLSTATE on `code`) otherwise.
 */
export function toQueryError(error: unknown, label: string): unknown {
  if (error instanceof ConnectionLostError || error instanceof ConnectFailedError) return error;
  const state = sqlState(error);
  if (state) return state.startsWith("57P0") || state.startsWith("08") ? new ConnectionLostError(label, { cause: error }) : error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if ((errno && LOST_ERRNOS.has(errno)) || (error instanceof Error && LOST_MESSAGES.test(error.message))) {
    return new ConnectionLostError(label, { cause: error });
  }
  return error;
}

/** A failed attempt to open a session as `ConnectFailedError` naming `host:port` and why. */
export function toConnectError(error: unknown, endpoint: DatabaseEndpoint, timeoutMs: number): ConnectFailedError {
  if (error instanceof ConnectFailedError) return error;
  const { host, port } = endpoint;
  const state = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  if (state) return new ConnectFailedError(host, port, "rejected", `the server refused the session as user "${endpoint.user}" on database "${endpoint.database}" (${state}: ${message})`, { cause: error });
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno) {
    const { reason, detail } = classifySocketError(error as NodeJS.ErrnoException);
    return new ConnectFailedError(host, port, reason, detail, { cause: error });
  }
  if (/timeout/i.test(message)) return new ConnectFailedError(host, port, "timeout", `timed out after ${timeoutMs} ms waiting for the session to start`, { cause: error });
  return new ConnectFailedError(host, port, "closed", message, { cause: error });
}
