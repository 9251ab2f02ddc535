import * as assert from "node:assert/strict";
import { assertFetchable, IssuerKeys } from "../../local/authorizer/issuerKeys";
import { authorize } from "../../local/authorizer/jwtAuthorizer";
import {
  AUTHORIZER_CONFIG,
  idTokenClaims,
  NOW,
  rsaKey,
  signRs256,
  type TestKey,
} from "../support/tokens";

const BASE = "http://127.0.0.1:4000";

/** A stand-in for the issuer's two endpoints, counting what it serves. */
function fakeIssuer(state: { keys: TestKey[]; down?: boolean }) {
  const calls: string[] = [];
  const fetchImpl = (async (input: string | URL) => {
    const url = String(input);
    calls.push(url);
    if (state.down) throw new TypeError("fetch failed");
    if (url === `${BASE}/.well-known/openid-configuration`) {
      return new Response(
        JSON.stringify({ issuer: "https://x/", jwks_uri: "https://x/.well-known/jwks.json" }),
      );
    }
    if (url === `${BASE}/.well-known/jwks.json`) {
      return new Response(JSON.stringify({ keys: state.keys.map((k) => k.publicJwk) }));
    }
    return new Response("not found", { status: 404 });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

describe("issuer keys", () => {
  let k1: TestKey;
  let k2: TestKey;
  let now: number;
  const make = (fetchImpl: typeof fetch) =>
    new IssuerKeys({
      issuer: "https://x/",
      baseUrl: BASE,
      toReachable: (url) => url.replace("https://x/", `${BASE}/`),
      fetch: fetchImpl,
      clock: () => now,
      refetchCooldownMs: 30_000,
    });

  before(async () => {
    k1 = await rsaKey("k1");
    k2 = await rsaKey("k2");
  });
  beforeEach(() => (now = 1_000_000));

  it("finds keys through discovery and then jwks_uri, mapped to where the issuer is served", async () => {
    const issuer = fakeIssuer({ keys: [k1] });
    const keys = make(issuer.fetchImpl);
    assert.equal((await keys.getKey("k1")).kind, "found");
    assert.deepEqual(issuer.calls, [
      `${BASE}/.well-known/openid-configuration`,
      `${BASE}/.well-known/jwks.json`,
    ]);
  });

  it("lets requests that arrive during the first fetch wait for it, and fetches once", async () => {
    const issuer = fakeIssuer({ keys: [k1] });
    const keys = make(issuer.fetchImpl);
    const lookups = await Promise.all(Array.from({ length: 10 }, () => keys.getKey("k1")));
    assert.deepEqual(new Set(lookups.map((l) => l.kind)), new Set(["found"]));
    assert.equal(issuer.calls.length, 2);
  });

  it("serves known keys from its cache", async () => {
    const issuer = fakeIssuer({ keys: [k1] });
    const keys = make(issuer.fetchImpl);
    await keys.getKey("k1");
    await keys.getKey("k1");
    assert.equal(issuer.calls.length, 2);
  });

  it("refetches for an unknown kid at most once per cooldown", async () => {
    const issuer = fakeIssuer({ keys: [k1] });
    const keys = make(issuer.fetchImpl);
    await keys.getKey("k1");
    await Promise.all(Array.from({ length: 20 }, () => keys.getKey("forged")));
    assert.equal(
      issuer.calls.length,
      2,
      "a burst of unknown kids inside the cooldown fetches nothing",
    );
    now += 30_000;
    assert.equal((await keys.getKey("forged")).kind, "unknown");
    assert.equal(issuer.calls.length, 4, "after the cooldown, one refetch");
  });

  it("honours rotation: a new kid appears, an old one disappears", async () => {
    const state = { keys: [k1] };
    const keys = make(fakeIssuer(state).fetchImpl);
    assert.equal((await keys.getKey("k1")).kind, "found");
    state.keys = [k2];
    now += 30_000;
    assert.equal((await keys.getKey("k2")).kind, "found");
    assert.equal((await keys.getKey("k1")).kind, "unknown");
  });

  it("refuses a token of the old key once a kid comes back with another key", async () => {
    const other = await rsaKey("other");
    const impostor = { ...other, kid: "k1", publicJwk: { ...other.publicJwk, kid: "k1" } };
    const state = { keys: [k1] };
    const keys = make(fakeIssuer(state).fetchImpl);
    const token = await signRs256(k1, idTokenClaims());
    const check = () =>
      authorize({
        identity: token,
        config: AUTHORIZER_CONFIG,
        routeScopes: [],
        keys,
        now: NOW,
      });
    assert.equal((await check()).kind, "allow");
    // The issuer publishes another key under the same kid; the cached set expires after 2 h.
    state.keys = [impostor];
    now += 2 * 60 * 60 * 1000;
    assert.deepEqual(await check(), {
      kind: "deny",
      status: 401,
      description: "crypto/rsa: verification error",
    });
  });

  it("keeps the keys it has when the issuer goes down, and says unavailable when it never had any", async () => {
    const state = { keys: [k1], down: false };
    const keys = make(fakeIssuer(state).fetchImpl);
    await keys.getKey("k1");
    state.down = true;
    now += 3 * 60 * 60 * 1000;
    assert.equal((await keys.getKey("k1")).kind, "found");
    const never = make(fakeIssuer({ keys: [], down: true }).fetchImpl);
    assert.deepEqual(await never.getKey("k1"), { kind: "unavailable" });
  });

  it("retries a failed first fetch after a second, not after the cooldown, and then serves", async () => {
    const state = { keys: [k1], down: true };
    const issuer = fakeIssuer(state);
    const keys = make(issuer.fetchImpl);
    assert.deepEqual(await keys.getKey("k1"), { kind: "unavailable" });
    assert.deepEqual(await keys.getKey("k1"), { kind: "unavailable" });
    assert.equal(issuer.calls.length, 1, "within the second, no fetch");
    state.down = false;
    now += 1_000;
    assert.equal((await keys.getKey("k1")).kind, "found");
    assert.equal(issuer.calls.length, 3);
    // Once keys are known, an unknown kid waits for the cooldown again.
    now += 1_000;
    assert.equal((await keys.getKey("forged")).kind, "unknown");
    assert.equal(issuer.calls.length, 3);
  });

  it("refreshes after two hours", async () => {
    const issuer = fakeIssuer({ keys: [k1] });
    const keys = make(issuer.fetchImpl);
    await keys.getKey("k1");
    now += 2 * 60 * 60 * 1000;
    await keys.getKey("k1");
    assert.equal(issuer.calls.length, 4);
  });

  it("fetches https, and plain http only on loopback", () => {
    assert.doesNotThrow(() => assertFetchable("https://tenant.auth0.com/.well-known/jwks.json"));
    assert.doesNotThrow(() => assertFetchable("http://127.0.0.1:4000/x"));
    assert.doesNotThrow(() => assertFetchable("http://localhost:4000/x"));
    assert.throws(
      () => assertFetchable("http://tenant.auth0.com/x"),
      /only https, or http on a loopback host/,
    );
    // A name that starts like a loopback address is a name someone else's DNS answers for.
    for (const url of ["http://127.attacker.example/x", "http://127.0.0.1.nip.io/x"]) {
      assert.throws(() => assertFetchable(url), /only https, or http on a loopback host/, url);
    }
  });
});
