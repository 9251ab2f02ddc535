import * as assert from "node:assert/strict";
import * as oauth from "oauth4webapi";
import { readCallback } from "../../local/login/callback";

const REDIRECT = "http://localhost:5678";

describe("the login tool", () => {
  describe("PKCE", () => {
    it("derives the S256 challenge of RFC 7636's example verifier", async () => {
      assert.equal(
        await oauth.calculatePKCECodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      );
    });

    it("makes a fresh, long enough verifier and state each time", () => {
      const a = oauth.generateRandomCodeVerifier();
      assert.notEqual(a, oauth.generateRandomCodeVerifier());
      assert.ok(a.length >= 43);
      assert.notEqual(oauth.generateRandomState(), oauth.generateRandomState());
    });
  });

  describe("the redirect handler", () => {
    it("accepts the code with the state it sent, on the exact callback path", () => {
      const outcome = readCallback("/?code=abc&state=s1&iss=x", {
        redirectUri: REDIRECT,
        state: "s1",
      });
      assert.deepEqual(outcome, {
        kind: "response",
        url: new URL("http://localhost:5678/?code=abc&state=s1&iss=x"),
      });
    });

    it("refuses another state", () => {
      assert.deepEqual(
        readCallback("/?code=abc&state=evil", { redirectUri: REDIRECT, state: "s1" }),
        {
          kind: "failure",
          message: "the state in the redirect is not the one sent (a forged or stale redirect)",
        },
      );
    });

    it("reports the issuer's error", () => {
      assert.deepEqual(
        readCallback(
          "/?error=access_denied&error_description=User%20did%20not%20authorize&state=s1",
          { redirectUri: REDIRECT, state: "s1" },
        ),
        { kind: "failure", message: "the issuer answered access_denied: User did not authorize" },
      );
    });

    it("needs a code", () => {
      assert.deepEqual(readCallback("/?state=s1", { redirectUri: REDIRECT, state: "s1" }), {
        kind: "failure",
        message: "the redirect carries no code",
      });
    });

    it("ignores other paths, such as the browser's favicon request", () => {
      assert.deepEqual(readCallback("/favicon.ico", { redirectUri: REDIRECT, state: "s1" }), {
        kind: "ignore",
      });
      assert.deepEqual(
        readCallback("/?code=a&state=s1", {
          redirectUri: "http://localhost:5678/callback",
          state: "s1",
        }),
        { kind: "ignore" },
      );
    });
  });
});
