import * as assert from "node:assert/strict";
import { formatClaims, tokenScopes } from "../../local/gateway/claims";

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
        address: '{"country":"NL"}',
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
