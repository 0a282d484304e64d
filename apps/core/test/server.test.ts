import { afterEach, expect, test } from "bun:test";
import type { Server } from "bun";
import { HIDDEN_DATABASE, startServer, type StatusAccess } from "../src/server.ts";

const servers: Server<undefined>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop(true)));
});

const STATUS = { database: "postgres://app:***@db.internal:5432/prod", packages: [{ package: "@ydtb/core" }] };

function serve(access: StatusAccess, ready = true) {
  const server = startServer(0, { ready: () => ready, status: async () => STATUS }, access);
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

test("only GET and HEAD: any other method is 405 with Allow, on every path", async () => {
  const base = serve({ hideDatabase: false });
  for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
    for (const path of ["/health", "/api/db/status", "/nope"]) {
      const response = await fetch(`${base}${path}`, { method });
      expect([method, path, response.status, response.headers.get("allow")]).toEqual([method, path, 405, "GET, HEAD"]);
    }
  }
  const head = await fetch(`${base}/health`, { method: "HEAD" });
  expect([head.status, await head.text()]).toEqual([200, ""]);
  expect((await fetch(`${base}/nope`)).status).toBe(404);
});

test("production without a token hides the database's host, user and name; /health stays open", async () => {
  const base = serve({ hideDatabase: true });
  const body = (await (await fetch(`${base}/api/db/status`)).json()) as typeof STATUS;
  expect(body).toEqual({ ...STATUS, database: HIDDEN_DATABASE });
  expect((await fetch(`${base}/health`)).status).toBe(200);
});

test("with a token the status needs it (401 otherwise) and then shows everything; /health needs none", async () => {
  const base = serve({ token: "t0ken-xyz", hideDatabase: true });
  for (const header of [undefined, "Bearer wrong", "Bearer t0ken-xy", "t0ken-xyz", "Basic t0ken-xyz"]) {
    const response = await fetch(`${base}/api/db/status`, header ? { headers: { Authorization: header } } : {});
    expect([header, response.status]).toEqual([header, 401]);
  }
  const ok = await fetch(`${base}/api/db/status`, { headers: { Authorization: "Bearer t0ken-xyz" } });
  expect([ok.status, await ok.json()]).toEqual([200, STATUS]);
  expect((await fetch(`${base}/health`)).status).toBe(200);
});

test("development shows the status as it is; /health is 503 until ready", async () => {
  const base = serve({ hideDatabase: false }, false);
  expect(await (await fetch(`${base}/api/db/status`)).json()).toEqual(STATUS);
  expect((await fetch(`${base}/health`)).status).toBe(503);
});
