import * as assert from "node:assert/strict";
import { createServer, type ServerResponse, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalEnvironmentOptions } from "../../local/environment";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { liveIdTokenClaims, rsaKey, signRs256, type TestKey } from "../support/tokens";
import { waitFor } from "../support/waitFor";

/** An external issuer on loopback whose keys and availability the test controls. */
class ControlledTenant {
  keys: TestKey[] = [];
  /** `hanging`: requests get no answer until `release()`, longer than any timeout. */
  mode: "up" | "down" | "hanging" = "up";
  jwksFetches = 0;
  private held: ServerResponse[] = [];
  readonly server: Server = createServer((req, res) => {
    if (this.mode === "down") {
      res.statusCode = 503;
      res.end();
    } else if (this.mode === "hanging") {
      this.held.push(res);
    } else {
      this.answer(req.url, res);
    }
  });
  get issuer(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }
  /** How many requests are held unanswered now. */
  get holding(): number {
    return this.held.filter((res) => !res.writableEnded && !res.destroyed).length;
  }
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    return this;
  }
  release(): void {
    for (const res of this.held.splice(0)) if (!res.destroyed) res.destroy();
  }
  stop(): void {
    this.release();
    this.server.closeAllConnections();
    this.server.close();
  }
  private answer(url: string | undefined, res: ServerResponse): void {
    res.setHeader("content-type", "application/json");
    if (url === "/.well-known/openid-configuration") {
      const jwksUri = `${this.issuer}.well-known/jwks.json`;
      res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: jwksUri }));
    } else if (url === "/.well-known/jwks.json") {
      this.jwksFetches++;
      res.end(JSON.stringify({ keys: this.keys.map((k) => k.publicJwk) }));
    } else {
      res.statusCode = 404;
      res.end("{}");
    }
  }
}

/**
 * The environment's clock runs ahead of the real one by `offset`: moving it on lets the key
 * cache's refetch cooldown pass without waiting, and never puts a token's `iat` in the future.
 */
class AheadClock {
  offset = 0;
  readonly now = () => Date.now() + this.offset;
}

const COOLDOWN_MS = 1000;
/** A short fetch timeout for the test; API Gateway's is 1,500 ms. */
const TIMEOUT_MS = 300;

async function startAgainst(
  name: string,
  tenant: ControlledTenant,
  clock: AheadClock,
  keyOptions: LocalEnvironmentOptions["keyOptions"] = {
    refetchCooldownMs: COOLDOWN_MS,
    timeoutMs: TIMEOUT_MS,
  },
) {
  return startTestEnvironment(name, {
    externalIssuer: tenant.issuer,
    audiences: ["client"],
    clock: clock.now,
    keyOptions,
  });
}

const description = (reply: { headers: Record<string, unknown> }) =>
  /error_description="([^"]*)"/.exec(String(reply.headers["www-authenticate"]))?.[1];

describe("an external issuer that hangs from the start", function () {
  let tenant: ControlledTenant;
  let running: RunningEnv;
  const clock = new AheadClock();

  before(async () => {
    tenant = await new ControlledTenant().start();
    tenant.keys = [await rsaKey("k1")];
    tenant.mode = "hanging";
    running = await startAgainst("issuer-hangs", tenant, clock);
  });
  after(async () => {
    await running?.stop();
    tenant?.stop();
  });

  it("is reported at start, and its tokens get 401 without waiting for it", async () => {
    await waitFor("the start-up warning", () =>
      running.logs.some((l) => l.startsWith(`warning: the issuer ${tenant.issuer}`)),
    );
    clock.offset += COOLDOWN_MS;
    const token = await signRs256(
      tenant.keys[0]!,
      liveIdTokenClaims({ iss: tenant.issuer, aud: "client" }),
    );
    const reply = await send(running.env.apiEndpoint, "GET", "/private", {
      authorization: `Bearer ${token}`,
    });
    assert.equal(reply.status, 401);
    assert.equal(description(reply), "unable to fetch the issuer's signing keys");
    // The authorizer gave up on its own: the issuer still holds every request unanswered.
    assert.ok(tenant.holding > 0);
  });
});

describe("an issuer too slow to answer the first key fetch", function () {
  let tenant: ControlledTenant;
  let running: RunningEnv;
  const clock = new AheadClock();

  before(async () => {
    tenant = await new ControlledTenant().start();
    tenant.keys = [await rsaKey("k1")];
    tenant.mode = "hanging";
    // The unknown-kid cooldown as shipped (30 s); the first fetch's failure must not wait it out.
    running = await startAgainst("issuer-slow-first", tenant, clock, { timeoutMs: TIMEOUT_MS });
  });
  after(async () => {
    await running?.stop();
    tenant?.stop();
  });

  it("accepts its tokens a second after it answers, not after the 30-s cooldown", async () => {
    const token = await signRs256(
      tenant.keys[0]!,
      liveIdTokenClaims({ iss: tenant.issuer, aud: "client" }),
    );
    const call = () =>
      send(running.env.apiEndpoint, "GET", "/private", { authorization: `Bearer ${token}` });
    await waitFor("the start-up fetch to give up", () => tenant.holding > 0 || undefined);
    clock.offset += 1_000;
    const refused = await call();
    assert.equal(description(refused), "unable to fetch the issuer's signing keys");
    tenant.release();
    tenant.mode = "up";
    clock.offset += 1_000;
    const accepted = await call();
    assert.deepEqual(
      [accepted.status, accepted.body],
      [200, "Hello auth0|60357a6d98e3e5006a9d74a3!"],
    );
  });
});

describe("an external issuer that fails or rotates its keys once keys are cached", function () {
  let tenant: ControlledTenant;
  let running: RunningEnv;
  let k1: TestKey;
  let k2: TestKey;
  const clock = new AheadClock();
  const call = async (key: TestKey) => {
    const token = await signRs256(key, liveIdTokenClaims({ iss: tenant.issuer, aud: "client" }));
    return send(running.env.apiEndpoint, "GET", "/private", { authorization: `Bearer ${token}` });
  };
  /** The refetch cooldown passes: the next unknown kid refetches the key set. */
  const cooldownPasses = () => (clock.offset += COOLDOWN_MS);

  before(async () => {
    k1 = await rsaKey("k1");
    k2 = await rsaKey("k2");
    tenant = await new ControlledTenant().start();
    running = await startAgainst("issuer-faults", tenant, clock);
  });
  // Every test starts from the same state: the issuer up, publishing k1, and k1 cached.
  beforeEach(async () => {
    tenant.mode = "up";
    tenant.keys = [k1];
    cooldownPasses();
    await call(await rsaKey("refetch"));
    assert.equal((await call(k1)).status, 200);
    cooldownPasses();
  });
  after(async () => {
    await running?.stop();
    tenant?.stop();
  });

  it("keeps accepting tokens whose key it has cached while the issuer is down", async () => {
    tenant.mode = "down";
    const unknown = await call(k2);
    assert.equal(unknown.status, 401);
    assert.equal(description(unknown), "no signing key matches kid 'k2'");
    assert.equal((await call(k1)).status, 200);
  });

  it("honours rotation: the new kid is accepted, the retired one rejected", async () => {
    tenant.keys = [k2];
    assert.equal((await call(k2)).status, 200);
    const retired = await call(k1);
    assert.equal(retired.status, 401);
    assert.equal(description(retired), "no signing key matches kid 'k1'");
  });

  it("does not let forged kids cause a refetch storm", async () => {
    const before = tenant.jwksFetches;
    const forgers = await Promise.all(Array.from({ length: 5 }, (_, i) => rsaKey(`forged-${i}`)));
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => call(forgers[i % 5]!)));
    assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([401]));
    // One refetch for the first unknown kid; the cooldown holds off the other 49.
    assert.equal(tenant.jwksFetches - before, 1);
  });

  it("voids a remembered verdict when the issuer republishes a kid with another key", async () => {
    const token = await signRs256(k1, liveIdTokenClaims({ iss: tenant.issuer, aud: "client" }));
    const withToken = () =>
      send(running.env.apiEndpoint, "GET", "/private", { authorization: `Bearer ${token}` });
    assert.equal((await withToken()).status, 200);
    const other = await rsaKey("other");
    tenant.keys = [{ ...other, kid: "k1", publicJwk: { ...other.publicJwk, kid: "k1" } }];
    // An unknown kid makes the authorizer refetch the key set, and see k1's new key.
    assert.equal((await call(await rsaKey("unknown"))).status, 401);
    const replaced = await withToken();
    assert.equal(replaced.status, 401);
    assert.equal(description(replaced), "crypto/rsa: verification error");
  });

  it("refuses another spelling of a valid token, over the wire", async () => {
    const token = await signRs256(k1, liveIdTokenClaims({ iss: tenant.issuer, aud: "client" }));
    const at = (t: string) =>
      send(running.env.apiEndpoint, "GET", "/private", { authorization: `Bearer ${t}` });
    assert.equal((await at(token)).status, 200);
    const reply = await at(`${token}==`);
    assert.equal(reply.status, 401);
    assert.equal(description(reply), "token is malformed");
  });
});
