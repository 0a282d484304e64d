import { dirname, join, resolve } from "node:path";
import { readStrictVersions } from "@ydtb/db-init";

/** The app's settings, read from the environment here and nowhere else. */
export interface Env {
  /** PostgreSQL URL; when absent the app uses PGlite under {@link Env.dataDir}. */
  readonly databaseUrl: string | undefined;
  /** The PGlite directory (used only without `databaseUrl`). */
  readonly dataDir: string;
  readonly port: number;
  readonly nodeEnv: "development" | "production" | "test";
  /** The monorepo root, where discovery starts. */
  readonly rootDir: string;
  /**
   * `YDTB_DB_STRICT_VERSIONS=1`: refuse to boot when the database holds migrations of a later
   * release than this code's. Default false: boot without migrating those packages and warn
   * (an instance of the previous release during a rolling deploy).
   */
  readonly strictVersions: boolean;
  /**
   * `YDTB_STATUS_TOKEN`: when set, `/api/db/status` answers only requests carrying
   * `Authorization: Bearer <token>`. Without it, production hides the database's host, user and name.
   */
  readonly statusToken: string | undefined;
  /** `DATABASE_CONNECT_TIMEOUT_MS`: bound on connecting to the server. Default `DEFAULT_CONNECT_TIMEOUT_MS` of @ydtb/db-client. */
  readonly connectTimeoutMs: number | undefined;
}

/** Default HTTP port. */
export const DEFAULT_PORT = 3000;

const appDir = resolve(dirname(new URL(import.meta.url).pathname), "..");

/**
 * Reads and checks the environment. Throws on a bad `PORT`, `NODE_ENV` or `YDTB_DB_STRICT_VERSIONS`, naming the variable.
 * `NODE_ENV` defaults to `defaults.nodeEnv` (`bun run dev` passes "development"), else "production".
 * `YDTB_DATA_DIR` and `YDTB_ROOT_DIR` move the PGlite directory and the monorepo root (tests use them);
 * `YDTB_STATUS_TOKEN` guards `/api/db/status`; `DATABASE_CONNECT_TIMEOUT_MS` bounds connecting.
 *
 * @example
 * const env = readEnv(); // { databaseUrl: undefined, dataDir: ".../apps/core/.data", port: 3000, ... }
 */
export function readEnv(source: Record<string, string | undefined> = process.env, defaults: { readonly nodeEnv?: Env["nodeEnv"] } = {}): Env {
  const port = source.PORT ? Number(source.PORT) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT="${source.PORT}" is not a port number; set PORT to an integer between 0 and 65535, or unset it for ${DEFAULT_PORT}.`);
  }
  const nodeEnv = source.NODE_ENV ?? defaults.nodeEnv ?? "production";
  if (nodeEnv !== "development" && nodeEnv !== "production" && nodeEnv !== "test") {
    throw new Error(`NODE_ENV="${nodeEnv}" is not one of development, production, test.`);
  }
  const timeout = source.DATABASE_CONNECT_TIMEOUT_MS;
  const connectTimeoutMs = timeout ? Number(timeout) : undefined;
  if (connectTimeoutMs !== undefined && (!Number.isInteger(connectTimeoutMs) || connectTimeoutMs <= 0)) {
    throw new Error(`DATABASE_CONNECT_TIMEOUT_MS="${timeout}" is not a positive number of milliseconds; set it to e.g. 10000, or unset it for the default.`);
  }
  return {
    databaseUrl: source.DATABASE_URL || undefined,
    dataDir: source.YDTB_DATA_DIR ? resolve(source.YDTB_DATA_DIR) : join(appDir, ".data"),
    port,
    nodeEnv,
    rootDir: source.YDTB_ROOT_DIR ? resolve(source.YDTB_ROOT_DIR) : resolve(appDir, "../.."),
    strictVersions: readStrictVersions(source),
    statusToken: source.YDTB_STATUS_TOKEN || undefined,
    connectTimeoutMs,
  };
}
