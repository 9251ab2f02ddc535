import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { npmToken, send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { runCli } from "../support/processes";

/** The local address a TCP port listens on, read from the kernel's table (`127.0.0.1`, `0.0.0.0`). */
function listeningAddress(port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const [local, , state] = line.trim().split(/\s+/).slice(1);
    if (state !== "0A" || !local?.endsWith(`:${hexPort}`)) continue; // 0A: LISTEN
    const hex = local.split(":")[0]!;
    return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join(".");
  }
  return undefined;
}

describe("npm start --host 0.0.0.0", function () {
  let running: RunningEnv;
  before(async () => {
    running = await startTestEnvironment("anyhost", { host: "0.0.0.0" });
  });
  after(() => running?.stop());

  it("serves the API on every interface and keeps the issuer on loopback", () => {
    const apiPort = Number(new URL(running.env.apiEndpoint).port);
    const issuerPort = Number(new URL(running.env.issuerUrl!).port);
    assert.equal(listeningAddress(apiPort), "0.0.0.0");
    assert.equal(listeningAddress(issuerPort), "127.0.0.1");
    assert.equal(running.env.issuerUrl, `http://127.0.0.1:${issuerPort}`);
  });

  it("still authorizes tokens from that issuer", async () => {
    const token = (await npmToken(running.stateDir)).stdout.trim();
    const api = running.env.apiEndpoint.replace("0.0.0.0", "127.0.0.1");
    const reply = await send(api, "GET", "/private", { authorization: `Bearer ${token}` });
    assert.deepEqual([reply.status, reply.body], [200, "Hello local-user!"]);
  });

  it("publishes its endpoints where it is served, whatever Host header a client sends", async () => {
    const reply = await send(running.env.issuerUrl!, "GET", "/.well-known/openid-configuration", {
      host: "192.0.2.7:1234",
    });
    const discovery = JSON.parse(reply.body) as Record<string, unknown>;
    assert.equal(discovery.issuer, "https://dev-example.us.auth0.com/");
    assert.equal(discovery.authorization_endpoint, `${running.env.issuerUrl}/authorize`);
    assert.equal(discovery.jwks_uri, `${running.env.issuerUrl}/.well-known/jwks.json`);
    assert.doesNotMatch(reply.body, /192\.0\.2\.7/);
  });

  it("refuses a Host that is neither a loopback name nor an IP literal (DNS rebinding)", async () => {
    const refused = {
      status: 403,
      body: '{"error":"invalid_request","error_description":"the issuer answers on an IP address or localhost only"}',
    };
    for (const host of ["rebind.attacker.example:4000", "127.0.0.1.nip.io", "localhost:evil"]) {
      for (const path of ["/.well-known/openid-configuration", "/authorize?client_id=x"]) {
        const reply = await send(running.env.issuerUrl!, "GET", path, { host });
        assert.deepEqual({ status: reply.status, body: reply.body }, refused, `${host} ${path}`);
      }
    }
    const named = await send(running.env.issuerUrl!, "GET", "/.well-known/jwks.json", {
      host: "app.localhost:4000",
    });
    assert.equal(named.status, 200);
  });

  it("refuses an issuer host that is neither loopback nor every interface", async () => {
    const run = await runCli("start", ["--issuer-host", "192.0.2.10"]);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      "--issuer-host '192.0.2.10': expected a loopback address, or 0.0.0.0 or :: for every interface (the issuer signs tokens for any username)\n",
    );
  });
});

describe("npm start --issuer-host 0.0.0.0", function () {
  let running: RunningEnv;
  before(async () => {
    running = await startTestEnvironment("openissuer", { issuerHost: "0.0.0.0" });
  });
  after(() => running?.stop());

  it("answers any Host: other machines reach it by names of their own", async () => {
    const reply = await send(running.env.issuerUrl!, "GET", "/.well-known/openid-configuration", {
      host: "laptop.example:4000",
    });
    assert.equal(reply.status, 200);
    assert.equal(
      (JSON.parse(reply.body) as { jwks_uri: string }).jwks_uri,
      `${running.env.issuerUrl}/.well-known/jwks.json`,
    );
  });
});
