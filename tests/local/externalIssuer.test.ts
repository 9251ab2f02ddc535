import * as assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startLocalEnvironment } from "../../local/environment";
import { npmToken, send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { PROJECT_DIR } from "../support/program";
import { liveIdTokenClaims, rsaKey, signRs256, type TestKey } from "../support/tokens";
import { postConsole } from "../support/consoleClient";
import type { Inspection, StackState } from "../../local/console/consoleApi";

/** A stand-in for a real tenant: discovery and JWKS on loopback, its own key. */
async function fakeTenant(key: TestKey): Promise<{ issuer: string; server: Server }> {
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration") {
      res.end(JSON.stringify({ issuer: `${base}/`, jwks_uri: `${base}/.well-known/jwks.json` }));
    } else if (req.url === "/.well-known/jwks.json") {
      res.end(JSON.stringify({ keys: [key.publicJwk] }));
    } else {
      res.statusCode = 404;
      res.end("{}");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe("the local environment trusting an external issuer", function () {
  let running: RunningEnv;
  let tenant: { issuer: string; server: Server };
  let key: TestKey;

  before(async () => {
    key = await rsaKey("tenant-key");
    tenant = await fakeTenant(key);
    running = await startTestEnvironment("external", {
      externalIssuer: tenant.issuer,
      audiences: ["real-client-id"],
      console: { host: "127.0.0.1", port: 0 },
    });
  });
  after(async () => {
    await running?.stop();
    tenant?.server.close();
  });

  it("does not start the built-in issuer", () => {
    assert.equal(running.env.issuerUrl, undefined);
    assert.equal(running.env.issuer, tenant.issuer);
  });

  it("accepts the tenant's token for the given audience", async () => {
    const token = await signRs256(
      key,
      liveIdTokenClaims({ iss: tenant.issuer, aud: "real-client-id", sub: "auth0|real" }),
    );
    const reply = await send(running.env.apiEndpoint, "GET", "/private", {
      authorization: `Bearer ${token}`,
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body, "Hello auth0|real!");
  });

  it("has its console take pasted tokens only, and judge them against the tenant", async () => {
    const consoleUrl = running.env.consoleUrl!;
    const refused = await postConsole(consoleUrl, "/api/token", { username: "a", kind: "id" });
    assert.deepEqual(
      [refused.status, refused.json],
      [409, { message: "this environment trusts an external issuer: paste a token from it" }],
    );
    const { view } = JSON.parse((await send(consoleUrl, "GET", "/api/stack")).body) as StackState;
    assert.deepEqual(view.issuer, { issuer: tenant.issuer, builtIn: false });
    assert.deepEqual(view.authorizers[0]!.audiences, ["real-client-id"]);
    const token = await signRs256(
      key,
      liveIdTokenClaims({ iss: tenant.issuer, aud: "real-client-id", sub: "auth0|real" }),
    );
    const inspection = (await postConsole(consoleUrl, "/api/inspect", { token }))
      .json as unknown as Inspection;
    assert.deepEqual(
      inspection.routes.find((r) => r.routeKey === "GET /private"),
      {
        routeKey: "GET /private",
        passes: true,
        reason: "allowed",
      },
    );
  });

  it("replaces the program's audiences: the local client ID no longer passes", async () => {
    const localClientId = running.env.model().clients[0]!.clientId;
    const token = await signRs256(
      key,
      liveIdTokenClaims({ iss: tenant.issuer, aud: localClientId }),
    );
    const reply = await send(running.env.apiEndpoint, "GET", "/private", {
      authorization: `Bearer ${token}`,
    });
    assert.equal(reply.status, 401);
    assert.match(
      String(reply.headers["www-authenticate"]),
      /the token does not have a valid audience/,
    );
  });

  it("refuses a plain-http issuer that is not on loopback, even one named like localhost", async () => {
    for (const externalIssuer of ["http://tenant.auth0.com/", "http://localhost.evil.example/"]) {
      await assert.rejects(
        startLocalEnvironment({
          projectDir: PROJECT_DIR,
          stack: "dev",
          host: "127.0.0.1",
          port: 0,
          issuerPort: 0,
          user: { username: "u", password: "p" },
          externalIssuer,
          log: () => undefined,
        }),
        {
          message: `--issuer ${externalIssuer}: expected an https URL (plain http only for loopback hosts)`,
        },
      );
    }
  });
});

describe("the local environment trusting another instance's built-in issuer", function () {
  let a: RunningEnv;
  let b: RunningEnv;
  before(async () => {
    a = await startTestEnvironment("issuer-a");
    b = await startTestEnvironment("issuer-b", {
      // A's tokens say https://dev-example.us.auth0.com/; A answers on loopback.
      externalIssuer: a.env.issuer,
      externalIssuerUrl: a.env.issuerUrl!,
      audiences: [a.env.model().clients[0]!.clientId],
    });
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
  });

  it("accepts the other instance's tokens when told where that issuer is served", async () => {
    const token = (await npmToken(a.stateDir)).stdout.trim();
    const reply = await send(b.env.apiEndpoint, "GET", "/private", {
      authorization: `Bearer ${token}`,
    });
    assert.deepEqual([reply.status, reply.body], [200, "Hello local-user!"]);
  });
});
