import * as assert from "node:assert/strict";
import { authorize } from "../../local/authorizer/jwtAuthorizer";
import {
  AUTHORIZER_CONFIG,
  idTokenClaims,
  NOW,
  rsaKey,
  signRs256,
  StaticKeys,
  type TestKey,
} from "../support/tokens";

describe("strict base64url (the JWT authorizer)", () => {
  let key: TestKey;
  let keys: StaticKeys;
  before(async () => {
    key = await rsaKey("key-1");
    keys = await StaticKeys.of(key);
  });
  const check = (identity: string) =>
    authorize({ identity, config: AUTHORIZER_CONFIG, routeScopes: [], keys, now: NOW });
  const description = async (identity: string) => {
    const verdict = await check(identity);
    assert.equal(verdict.kind, "deny");
    return verdict.kind === "deny" ? verdict.description : undefined;
  };

  /** The same token spelled another way: each must be refused, never cached apart. */
  const respellings = (token: string): [string, string][] => {
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = signature.at(-1)!;
    // An RS256 signature (256 bytes) leaves 4 unused bits in its last character: flip one.
    const otherBits = alphabet[alphabet.indexOf(last) ^ 1]!;
    return [
      ["padding appended", `${token}==`],
      ["unused bits changed", `${header}.${payload}.${signature.slice(0, -1)}${otherBits}`],
      [
        "a space in the signature",
        `${header}.${payload}.${signature.slice(0, 9)} ${signature.slice(9)}`,
      ],
      [
        "base64's + for -",
        `${header}.${payload}.${signature.replace(/-/g, "+").replace(/_/g, "/")}`,
      ],
    ];
  };

  it("refuses every other spelling of a valid token", async () => {
    const token = await signRs256(key, idTokenClaims());
    assert.equal((await check(token)).kind, "allow");
    for (const [how, spelled] of respellings(token)) {
      if (spelled === token) continue;
      assert.equal(await description(spelled), "token is malformed", how);
    }
  });
});
