import * as assert from "node:assert/strict";
import { formatClaims, tokenScopes } from "../../local/authorizer/claims";
import { newRequestId } from "../../local/gateway/randomIds";

describe("claims as API Gateway passes them", () => {
  it("turns every value into a string: numbers as plain decimals, arrays as [a b]", () => {
    assert.deepEqual(
      // Spread: formatClaims builds a map without a prototype (see nameMap).
      {
        ...formatClaims({
          sub: "auth0|60357a6d98e3e5006a9d74a3",
          exp: 1787996002,
          ratio: 0.5,
          email_verified: false,
          aud: ["https://api.example.com", "https://tenant.auth0.com/userinfo"],
          permissions: ["read:x", "write:x"],
          "cognito:groups": ["admin", "poweruser"],
          empty: [],
          gone: null,
          address: { country: "NL" },
        }),
      },
      {
        sub: "auth0|60357a6d98e3e5006a9d74a3",
        exp: "1787996002",
        ratio: "0.5",
        email_verified: "false",
        aud: "[https://api.example.com https://tenant.auth0.com/userinfo]",
        permissions: "[read:x write:x]",
        "cognito:groups": "[admin poweruser]",
        empty: "[]",
        // Go's rendering of a map, as AWS hands it (aws/aws-lambda-go#570): not JSON.
        address: "map[country:NL]",
      },
    );
  });

  it("renders nested objects as Go prints a map: keys sorted, nested maps and lists, <nil>", () => {
    assert.deepEqual(
      {
        ...formatClaims({
          "https://example.com/app": {
            roles: ["admin", "ops"],
            org: { id: 7, name: "Acme" },
            z: null,
            a: true,
          },
        }),
      },
      {
        "https://example.com/app": "map[a:true org:map[id:7 name:Acme] roles:[admin ops] z:<nil>]",
      },
    );
  });

  it("reads scopes from scp first, else from scope split on spaces", () => {
    assert.deepEqual(tokenScopes({ scope: "openid  read:x" }), ["openid", "read:x"]);
    assert.deepEqual(tokenScopes({ scp: "a b", scope: "c" }), ["a", "b"]);
    assert.deepEqual(tokenScopes({ scp: ["a", 1, "b"] }), ["a", "b"]);
    assert.deepEqual(tokenScopes({}), []);
  });
});

describe("request IDs as API Gateway makes them", () => {
  it("are 16 characters of URL-safe base64 ending in '=', never with '+' or '/'", () => {
    const ids = Array.from({ length: 2000 }, () => newRequestId());
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{15}=$/);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(
      ids.some((id) => /[-_]/.test(id)),
      true,
    );
  });
});
