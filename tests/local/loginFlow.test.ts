import * as assert from "node:assert/strict";
import * as oauth from "oauth4webapi";
import { createServer, type AddressInfo } from "node:net";
import { readCallback } from "../../local/login/callback";
import { waitForRedirect } from "../../local/login/loginFlow";

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

    it("treats another state, or none, as a stray request to keep waiting through", () => {
      for (const target of ["/?code=abc&state=evil", "/?error=access_denied", "/?code=abc"]) {
        assert.deepEqual(readCallback(target, { redirectUri: REDIRECT, state: "s1" }), {
          kind: "stray",
          message:
            "this is not the answer to the sign-in in progress (its state differs); still waiting",
        });
      }
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

describe("the login tool's loopback listener, over sockets", () => {
  it("answers stray requests 400 and keeps waiting until the issuer's answer comes", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const redirectUri = `http://127.0.0.1:${port}`;
    const statuses: number[] = [];
    const hit = async (target: string) =>
      statuses.push((await fetch(`${redirectUri}${target}`)).status);
    let browsing: Promise<void> | undefined;
    const answer = waitForRedirect(redirectUri, "s1", "https://issuer.example/authorize", {
      timeoutMs: 10_000,
      onUrl: () => {
        browsing = (async () => {
          // What any web page could make the browser send, then the real redirect.
          await hit("/?state=wrong");
          await hit("/?error=access_denied");
          await hit("/?code=forged");
          await hit("/?code=real&state=s1");
        })();
      },
    });
    assert.equal((await answer).href, `${redirectUri}/?code=real&state=s1`);
    await browsing;
    assert.deepEqual(statuses, [400, 400, 400, 200]);
  });
});
