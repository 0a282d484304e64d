import type { Server } from "bun";

/** What the HTTP server asks of the app. */
export interface ServerHooks {
  /** True once the database is migrated and the app may serve. */
  readonly ready: () => boolean;
  /** The database status (`ydtb-db status --json`'s shape). */
  readonly status: () => Promise<unknown>;
}

/**
 * Starts the HTTP server: `GET /health` (200 once migrated, 503 before) and
 * `GET /api/db/status` (the database status as JSON).
 *
 * @example
 * const server = startServer(3000, { ready: () => true, status: async () => ({}) });
 */
export function startServer(port: number, hooks: ServerHooks): Server<undefined> {
  return Bun.serve({
    port,
    routes: {
      "/health": () => (hooks.ready() ? Response.json({ status: "ok" }) : Response.json({ status: "starting" }, { status: 503 })),
      "/api/db/status": async () => {
        try {
          return Response.json(await hooks.status());
        } catch (error) {
          return Response.json({ error: (error as Error).message }, { status: 500 });
        }
      },
    },
    fetch: () => Response.json({ error: "not found" }, { status: 404 }),
  });
}
