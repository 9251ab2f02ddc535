import * as assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { liveIdTokenClaims, rsaKey, signRs256, type TestKey } from "../support/tokens";

/** An external issuer on loopback whose keys, availability and speed the test controls. */
class ControlledTenant {
  keys: TestKey[] = [];
  mode: "up" | "down" | "slow" = "up";
  jwksFetches = 0;
  readonly server: Server = createServer((req, res) => {
    if (this.mode === "down") {
      res.statusCode = 503;
      res.end();
      return;
    }
    const answer = () => {
      const base = this.issuer.slice(0, -1);
      res.setHeader("content-type", "application/json");
      if (req.url === "/.well-known/openid-configuration") {
        res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${base}/.well-known/jwks.json` }));
      } else if (req.url === "/.well-known/jwks.json") {
        this.jwksFetches++;
        res.end(JSON.stringify({ keys: this.keys.map((k) => k.publicJwk) }));
      } else {
        res.statusCode = 404;
        res.end("{}");
      }
    };
    // Slower than API Gateway's 1,500 ms timeout for discovery and JWKS.
    if (this.mode === "slow") setTimeout(answer, 2000);
    else answer();
  });
  get issuer(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    return this;
  }
  stop(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}

describe("an external issuer that fails, slows down or rotates its keys", function () {
  let tenant: ControlledTenant;
  let running: RunningEnv;
  let k1: TestKey;
  let k2: TestKey;
  const call = async (key: TestKey) => {
    const token = await signRs256(key, liveIdTokenClaims({ iss: tenant.issuer, aud: "client" }));
    return send(running.env.apiEndpoint, "GET", "/private", { authorization: `Bearer ${token}` });
  };
  const description = (reply: { headers: Record<string, unknown> }) =>
    /error_description="([^"]*)"/.exec(String(reply.headers["www-authenticate"]))?.[1];

  before(async () => {
    k1 = await rsaKey("k1");
    k2 = await rsaKey("k2");
    tenant = await new ControlledTenant().start();
    // Slow from the start: the environment's first fetch, at start-up, gets nothing either.
    tenant.keys = [k1];
    tenant.mode = "slow";
    running = await startTestEnvironment("issuer-faults", {
      externalIssuer: tenant.issuer,
      audiences: ["client"],
      keyOptions: { refetchCooldownMs: 1000 },
    });
  });
  after(async () => {
    await running?.stop();
    tenant?.stop();
  });

  it("rejects tokens with 401 while the issuer is slower than 1.5 s and nothing is cached", async () => {
    // The fetch made at start-up gives up too, and says so; then the refetch cooldown passes.
    while (!running.logs.some((l) => l.startsWith(`warning: the issuer ${tenant.issuer}`))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const started = Date.now();
    const reply = await call(k1);
    assert.equal(reply.status, 401);
    assert.equal(description(reply), "unable to fetch the issuer's signing keys");
    assert.ok(Date.now() - started < 1900, "gave up at the 1,500 ms timeout");
    await new Promise((r) => setTimeout(r, 1000)); // the refetch cooldown
  });

  it("accepts tokens once the issuer answers", async () => {
    tenant.mode = "up";
    assert.equal((await call(k1)).status, 200);
  });

  it("keeps accepting tokens whose key it has cached while the issuer is down", async () => {
    tenant.mode = "down";
    assert.equal((await call(k1)).status, 200);
    await new Promise((r) => setTimeout(r, 1000));
    const unknown = await call(k2);
    assert.equal(unknown.status, 401);
    assert.equal(description(unknown), "no signing key matches kid 'k2'");
    assert.equal((await call(k1)).status, 200);
  });

  it("honours rotation: the new kid is accepted, the retired one rejected", async () => {
    tenant.mode = "up";
    tenant.keys = [k2];
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await call(k2)).status, 200);
    const retired = await call(k1);
    assert.equal(retired.status, 401);
    assert.equal(description(retired), "no signing key matches kid 'k1'");
  });

  it("does not let forged kids cause a refetch storm", async () => {
    await new Promise((r) => setTimeout(r, 1000));
    const before = tenant.jwksFetches;
    const forgers = await Promise.all(Array.from({ length: 5 }, (_, i) => rsaKey(`forged-${i}`)));
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => call(forgers[i % 5]!)));
    assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([401]));
    assert.ok(
      tenant.jwksFetches - before <= 1,
      `${tenant.jwksFetches - before} JWKS fetches for 50 forged tokens`,
    );
  });

  it("voids a remembered verdict when the issuer republishes a kid with another key", async () => {
    tenant.mode = "up";
    tenant.keys = [k2];
    const token = await signRs256(k2, liveIdTokenClaims({ iss: tenant.issuer, aud: "client" }));
    const withToken = () =>
      send(running.env.apiEndpoint, "GET", "/private", { authorization: `Bearer ${token}` });
    assert.equal((await withToken()).status, 200);
    const other = await rsaKey("other");
    tenant.keys = [{ ...other, kid: "k2", publicJwk: { ...other.publicJwk, kid: "k2" } }];
    await new Promise((r) => setTimeout(r, 1000)); // the refetch cooldown
    // An unknown kid makes the authorizer refetch the key set, and see k2's new key.
    assert.equal((await call(await rsaKey("unknown"))).status, 401);
    const replaced = await withToken();
    assert.equal(replaced.status, 401);
    assert.equal(description(replaced), "crypto/rsa: verification error");
  });

  it("refuses another spelling of a valid token, over the wire", async () => {
    tenant.keys = [k1];
    await new Promise((r) => setTimeout(r, 1000));
    const token = await signRs256(k1, liveIdTokenClaims({ iss: tenant.issuer, aud: "client" }));
    const at = (t: string) =>
      send(running.env.apiEndpoint, "GET", "/private", { authorization: `Bearer ${t}` });
    assert.equal((await at(token)).status, 200);
    const reply = await at(`${token}==`);
    assert.equal(reply.status, 401);
    assert.equal(description(reply), "token is malformed");
  });
});
