import type { ChaosContext } from "./context.ts";
import { startApp, startCli, type Finished } from "./processes.ts";
import { FAULT_EXIT_BOUND_MS, tail, type TrialResult } from "./trial.ts";

/**
 * Slack on top of the connect timeout and the measured start-up, in ms. Start-up itself is
 * measured in the same batch: the time the same command needed to fail against the endpoints that
 * fail at once (HTTP server, refused port) — seconds when many processes share two busy cores.
 */
export const SLACK_MS = 1_000;

/** A process still running this long is a hang: killed and reported, in ms. */
export const HANG_BOUND_MS = 60_000;

/** Connection attempts one process may make to a bad endpoint (the probe, maybe one retry): no storm. */
export const MAX_ATTEMPTS_PER_PROCESS = 2;

interface Endpoint {
  readonly name: string;
  readonly port: number;
  /** Connections it received (undefined where it cannot count). */
  readonly connections: () => number | undefined;
  stop(): void;
}

/** An HTTP server on a loopback port: answers, but not PostgreSQL. */
function httpEndpoint(): Endpoint {
  let connections = 0;
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open: () => void connections++,
      data: (s) => {
        s.write("HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 11\r\n\r\nbad request");
        s.end();
      },
    },
  });
  return { name: "HTTP server", port: server.port, connections: () => connections, stop: () => server.stop(true) };
}

/** Accepts connections and never answers. */
function silentEndpoint(): Endpoint {
  let connections = 0;
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { open: () => void connections++, data: () => undefined } });
  return { name: "silent server", port: server.port, connections: () => connections, stop: () => server.stop(true) };
}

/** A loopback port nobody listens on (bound once, then closed). */
function refusedEndpoint(): Endpoint {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: () => undefined } });
  const port = probe.port;
  probe.stop(true);
  return { name: "refused port", port, connections: () => undefined, stop: () => undefined };
}

/**
 * An unreachable host, simulated on loopback without touching the firewall: a listener with a
 * backlog of 0 that never accepts, its one queue slot taken; the kernel then drops further SYNs, so
 * a connect hangs as it does towards a host that drops packets. Needs python3 (undefined without).
 */
async function droppingEndpoint(): Promise<Endpoint | undefined> {
  if (!Bun.which("python3")) return undefined;
  const script = `import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)
port = s.getsockname()[1]
filler = socket.create_connection(("127.0.0.1", port))
print(port, flush=True)
time.sleep(3600)`;
  const proc = Bun.spawn(["python3", "-c", script], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  const { value } = await reader.read();
  const port = Number(new TextDecoder().decode(value).trim());
  return { name: "dropping host", port, connections: () => undefined, stop: () => proc.kill() };
}

/**
 * The command line and the app pointed at each bad endpoint, all at once: each must end non-zero
 * with `CONNECT_FAILED` naming 127.0.0.1:port within the default connect timeout (plus process
 * start), after at most {@link MAX_ATTEMPTS_PER_PROCESS} connections.
 */
export async function badEndpoints(ctx: ChaosContext): Promise<TrialResult[]> {
  const endpoints = [httpEndpoint(), silentEndpoint(), refusedEndpoint()];
  const dropping = await droppingEndpoint();
  if (dropping) endpoints.push(dropping);
  try {
    const trials = endpoints.flatMap((endpoint) =>
      (["ydtb-db migrate", "app boot"] as const).map(async (who): Promise<TrialResult> => {
        const url = `postgres://chaos:chaos-secret@127.0.0.1:${endpoint.port}/chaos`;
        const end: Finished =
          who === "app boot"
            ? await (await startApp(ctx.root, { DATABASE_URL: url }, 0)).finished(HANG_BOUND_MS)
            : await startCli(ctx.root, ["migrate"], { DATABASE_URL: url }).finished(HANG_BOUND_MS);
        const problems: string[] = [];
        if (end.hung) problems.push(`hung: killed after ${HANG_BOUND_MS} ms`);
        if (end.code === 0 || end.code === null) problems.push(`ended with ${end.code ?? end.signal}, not an error exit`);
        if (!end.output.includes("CONNECT_FAILED") || !end.output.includes(`127.0.0.1:${endpoint.port}`)) problems.push(`no CONNECT_FAILED naming 127.0.0.1:${endpoint.port}:\n${tail(end.output)}`);
        if (end.output.includes("chaos-secret")) problems.push("printed the password");
        return { scenario: `bad endpoint: ${endpoint.name} (${who})`, kind: "postgres", ok: problems.length === 0, problems, ms: end.ms };
      }),
    );
    const results = await Promise.all(trials);
    // Start-up under this batch's load: the slowest of the trials that fail at once (HTTP server,
    // refused port), of either kind. All eight processes start together on two cores, so one
    // kind's fast trials can end before the load peaks while the other's are still starting: an
    // app that failed fast in 0.8 s once met a silent server only after 14 s (CI, 2 cores).
    const startup = () => Math.max(0, ...results.filter((r) => /HTTP server|refused port/.test(r.scenario)).map((r) => r.ms));
    return results.map((r) => {
      const problems = [...r.problems];
      // Connection counts, over both processes of each endpoint: no reconnect storm.
      const endpoint = endpoints.find((e) => r.scenario.includes(e.name))!;
      const count = endpoint.connections();
      if (count !== undefined && count > 2 * MAX_ATTEMPTS_PER_PROCESS) problems.push(`${count} connections to the ${endpoint.name} from two processes: a reconnect storm`);
      const bound = FAULT_EXIT_BOUND_MS + startup() + SLACK_MS;
      if (r.ms > bound) problems.push(`took ${r.ms} ms, over the ${FAULT_EXIT_BOUND_MS} ms connect bound plus ${startup()} ms start-up`);
      return { ...r, ok: problems.length === 0, problems };
    });
  } finally {
    for (const e of endpoints) e.stop();
  }
}
