import { timingSafeEqual } from "node:crypto";
import type { Server } from "bun";

/** What the HTTP server asks of the app. */
export interface ServerHooks {
  /** True once the database is migrated and the app may serve. */
  readonly ready: () => boolean;
  /** The database status (`ydtb-db status --json`'s shape). */
  readonly status: () => Promise<unknown>;
}

/** Who may see what on `/api/db/status`. */
export interface StatusAccess {
  /** When set, the status answers only `Authorization: Bearer <token>` (401 otherwise). */
  readonly token?: string;
  /** Without a token: replace the database's location (host, user, name) by {@link HIDDEN_DATABASE}. */
  readonly hideDatabase: boolean;
}

/** Methods the server answers; any other gets 405 with an `Allow` header. */
export const ALLOWED_METHODS = ["GET", "HEAD"] as const;

/** What `/api/db/status` shows for `database` when its location is hidden. */
export const HIDDEN_DATABASE = "hidden (set YDTB_STATUS_TOKEN and send it as a bearer token to see it)";

/**
 * Starts the HTTP server: `GET /health` (200 once migrated, 503 before; always open) and
 * `GET /api/db/status` (the database status as JSON, guarded by `access`). Only GET and HEAD.
 *
 * @example
 * const server = startServer(3000, { ready: () => true, status: async () => ({}) }, { hideDatabase: true });
 */
export function startServer(port: number, hooks: ServerHooks, access: StatusAccess): Server<undefined> {
  return Bun.serve({
    port,
    fetch: async (request) => {
      if (!(ALLOWED_METHODS as readonly string[]).includes(request.method)) {
        return Response.json({ error: `method ${request.method} not allowed; use ${ALLOWED_METHODS.join(" or ")}` }, { status: 405, headers: { Allow: ALLOWED_METHODS.join(", ") } });
      }
      const path = new URL(request.url).pathname;
      if (path === "/health") return hooks.ready() ? Response.json({ status: "ok" }) : Response.json({ status: "starting" }, { status: 503 });
      if (path === "/api/db/status") return status(request, hooks, access);
      return Response.json({ error: "not found" }, { status: 404 });
    },
  });
}

async function status(request: Request, hooks: ServerHooks, access: StatusAccess): Promise<Response> {
  if (access.token && !bearerMatches(request.headers.get("authorization"), access.token)) {
    return Response.json({ error: "unauthorized: send Authorization: Bearer <YDTB_STATUS_TOKEN>" }, { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="ydtb"' } });
  }
  try {
    const body = await hooks.status();
    const hide = !access.token && access.hideDatabase && body !== null && typeof body === "object" && "database" in body;
    return Response.json(hide ? { ...body, database: HIDDEN_DATABASE } : body);
  } catch (error) {
    // The message may name the database's location: shown only where the status would show it.
    const shown = access.token || !access.hideDatabase ? (error as Error).message : "the database status could not be read; see the app's log";
    if (!access.token && access.hideDatabase) console.error("ydtb core: /api/db/status failed:", (error as Error).message);
    return Response.json({ error: shown }, { status: 500 });
  }
}

function bearerMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
