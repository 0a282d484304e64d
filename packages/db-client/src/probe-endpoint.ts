import { connect, type Socket } from "node:net";
import { join } from "node:path";
import type { DatabaseEndpoint } from "./database-url.ts";
import { ConnectFailedError, type ConnectFailure } from "./errors.ts";

// PostgreSQL's SSLRequest: length 8, code 80877103. A server answers one byte, "S" or "N"
// (very old ones an "E" error message); anything else is not PostgreSQL.
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);

/**
 * Asks `host:port` whether it speaks PostgreSQL, within `timeoutMs`: one TCP (or Unix socket)
 * connection, one SSLRequest, one byte back. Resolves `undefined` when PostgreSQL answered, else
 * the `ConnectFailedError` saying why not (refused, unreachable, timed out, not PostgreSQL).
 * The driver alone cannot tell these apart, and retries some of them for ever.
 *
 * @example
 * const failure = await probeEndpoint({ host: "127.0.0.1", port: 5432, database: "x", user: "u" }, 10_000);
 * if (failure) throw failure;
 */
export function probeEndpoint(endpoint: DatabaseEndpoint, timeoutMs: number): Promise<ConnectFailedError | undefined> {
  const { host, port } = endpoint;
  return new Promise((resolve) => {
    let settled = false;
    let socket: Socket;
    const finish = (failure?: { reason: ConnectFailure; detail: string; cause?: unknown }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(failure ? new ConnectFailedError(host, port, failure.reason, failure.detail, failure.cause ? { cause: failure.cause } : undefined) : undefined);
    };
    const timer = setTimeout(
      () => finish({ reason: "timeout", detail: socket.connecting ? `no answer to the connection request within ${timeoutMs} ms` : `connected, but nothing answered within ${timeoutMs} ms (timed out)` }),
      timeoutMs,
    );
    socket = host.startsWith("/") ? connect({ path: join(host, `.s.PGSQL.${port}`) }) : connect({ host, port });
    socket.on("connect", () => socket.write(SSL_REQUEST));
    socket.on("data", (data: Buffer) => {
      const first = String.fromCharCode(data[0] ?? 0);
      if (first === "S" || first === "N" || first === "E") finish();
      else finish({ reason: "not-postgres", detail: `it answered, but not as PostgreSQL does (first bytes: ${JSON.stringify(printable(data))})` });
    });
    socket.on("end", () => finish({ reason: "not-postgres", detail: "it accepted the connection and closed it without a PostgreSQL answer" }));
    socket.on("error", (error: NodeJS.ErrnoException) => finish({ ...classifySocketError(error), cause: error }));
  });
}

/** A socket error's reason, from its errno code. */
export function classifySocketError(error: NodeJS.ErrnoException): { reason: ConnectFailure; detail: string } {
  switch (error.code) {
    case "ECONNREFUSED":
    case "ENOENT": // a Unix socket path nobody listens on
      return { reason: "refused", detail: `connection refused (${error.code}): nothing listens there` };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EADDRNOTAVAIL":
      return { reason: "unreachable", detail: `host unreachable (${error.code})` };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { reason: "host-not-found", detail: `the host name does not resolve (${error.code})` };
    case "ETIMEDOUT":
      return { reason: "timeout", detail: `the connection timed out (${error.code})` };
    case "ECONNRESET":
    case "EPIPE":
      return { reason: "closed", detail: `the connection was reset (${error.code})` };
    default:
      return { reason: "closed", detail: `${error.code ?? "socket error"}: ${error.message}` };
  }
}

function printable(data: Buffer): string {
  return data
    .subarray(0, 16)
    .toString("latin1")
    .replace(/[^\x20-\x7e]/g, ".");
}
