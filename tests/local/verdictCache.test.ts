import * as assert from "node:assert/strict";
import { authorize } from "../../local/authorizer/jwtAuthorizer";
import { VerdictCache } from "../../local/authorizer/verdictCache";
import {
  idTokenClaims,
  NOW,
  rsaKey,
  signRs256,
  StaticKeys,
  type TestKey,
  AUTHORIZER_CONFIG,
} from "../support/tokens";

const CONFIG = AUTHORIZER_CONFIG;

describe("the signature verdict cache", () => {
  let key: TestKey;
  let impostor: TestKey;
  before(async () => {
    key = await rsaKey("k1");
    impostor = { ...(await rsaKey("other")), kid: "k1" };
  });
  const check = (token: string, keys: StaticKeys, cache: VerdictCache, now = NOW) =>
    authorize({ identity: `Bearer ${token}`, config: CONFIG, routeScopes: [], keys, now, cache });

  it("reuses a verdict while the key set is unchanged, and drops it when the set changes", async () => {
    const keys = await StaticKeys.of(key);
    const cache = new VerdictCache();
    const token = await signRs256(key, idTokenClaims());
    assert.equal((await check(token, keys, cache)).kind, "allow");
    // Same generation, another key under the same kid: the remembered verdict stands.
    await keys.publish([impostor], true);
    assert.equal((await check(token, keys, cache)).kind, "allow");
    // A new key set: the token is checked again, and fails against the new key.
    await keys.publish([impostor]);
    assert.deepEqual(await check(token, keys, cache), {
      kind: "deny",
      status: 401,
      description: "crypto/rsa: verification error",
    });
  });

  it("checks the time claims on every request, cached or not", async () => {
    const keys = await StaticKeys.of(key);
    const cache = new VerdictCache();
    const token = await signRs256(key, idTokenClaims({ exp: NOW + 10 }));
    assert.equal((await check(token, keys, cache)).kind, "allow");
    assert.deepEqual(await check(token, keys, cache, NOW + 10), {
      kind: "deny",
      status: 401,
      description: "the token has expired",
    });
  });

  it("remembers a forged signature too, so forgeries cost no RSA work the second time", async () => {
    const keys = await StaticKeys.of(key);
    const cache = new VerdictCache();
    const forged = await signRs256(impostor, idTokenClaims());
    assert.equal((await check(forged, keys, cache)).kind, "deny");
    assert.equal(cache.size, 1);
    await keys.publish([impostor], true);
    assert.equal((await check(forged, keys, cache)).kind, "deny", "the remembered verdict stands");
  });

  it("does not remember malformed tokens or unknown kids", async () => {
    const keys = await StaticKeys.of(key);
    const cache = new VerdictCache();
    await check("not-a-token", keys, cache);
    await check(await signRs256(await rsaKey("unknown"), idTokenClaims()), keys, cache);
    assert.equal(cache.size, 0);
  });

  it("forgets the least recently used token past its capacity", () => {
    const cache = new VerdictCache(2);
    const verdict = { verified: true as const, kid: "k", payload: {} };
    cache.set("a", 0, verdict);
    cache.set("b", 0, verdict);
    cache.get("a", 0);
    cache.set("c", 0, verdict);
    assert.equal(cache.get("b", 0), undefined);
    assert.deepEqual(cache.get("a", 0), verdict);
    assert.equal(cache.size, 2);
  });
});
