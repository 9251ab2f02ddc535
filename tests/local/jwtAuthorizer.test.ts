import * as assert from "node:assert/strict";
import { authorize, type Verdict } from "../../local/authorizer/jwtAuthorizer";
import { rejection } from "../../local/gateway/authorizerResponse";
import { identityReader } from "../../local/gateway/identitySource";
import {
  API_ID,
  CLIENT_ID,
  idTokenClaims,
  ISSUER,
  NOW,
  rsaKey,
  signEs256,
  signHs256,
  signRs256,
  signRsa,
  StaticKeys,
  unsigned,
  type TestKey,
  AUTHORIZER_CONFIG,
} from "../support/tokens";

const CONFIG = AUTHORIZER_CONFIG;

describe("JWT authorizer", () => {
  let key: TestKey;
  let other: TestKey;
  let keys: StaticKeys;
  const check = (identity: string | undefined, routeScopes: string[] = []): Promise<Verdict> =>
    authorize({ identity, config: CONFIG, routeScopes, keys, now: NOW });
  const description = async (identity: string, routeScopes: string[] = []) => {
    const verdict = await check(identity, routeScopes);
    assert.equal(verdict.kind, "deny");
    return verdict.kind === "deny" ? verdict.description : undefined;
  };

  before(async () => {
    key = await rsaKey("key-1");
    other = await rsaKey("key-2");
    keys = await StaticKeys.of(key);
  });

  describe("taking the token", () => {
    it("rejects a missing or empty identity source without a description", async () => {
      assert.deepEqual(await check(undefined), { kind: "deny", status: 401 });
      assert.deepEqual(await check(""), { kind: "deny", status: 401 });
    });

    it("accepts the token with and without the Bearer prefix", async () => {
      const token = await signRs256(key, idTokenClaims());
      assert.equal((await check(`Bearer ${token}`)).kind, "allow");
      assert.equal((await check(token)).kind, "allow");
    });

    it("strips only the exact 'Bearer ' prefix", async () => {
      const token = await signRs256(key, idTokenClaims());
      // "bearer <jwt>" is read as a token whose first segment is not base64url JSON.
      assert.equal(await description(`bearer ${token}`), "token is malformed");
    });
  });

  describe("the identity source", () => {
    it("reads a header, case-insensitively, or a decoded query parameter", () => {
      const headers = { authorization: "Bearer h" };
      assert.equal(identityReader("$request.header.Authorization")(headers, "token=q"), "Bearer h");
      assert.equal(identityReader("$request.querystring.token")(headers, "a=1&token=x%2By"), "x+y");
      assert.equal(identityReader("$request.querystring.token")(headers, ""), undefined);
      assert.equal(identityReader("$context.something")(headers, "token=q"), undefined);
    });
  });

  describe("decoding", () => {
    it("rejects a token without three segments with golang-jwt's words", async () => {
      assert.equal(
        await description("not-a-token"),
        "token contains an invalid number of segments",
      );
      assert.equal(await description("a.b.c.d"), "token contains an invalid number of segments");
    });

    it("rejects segments that are not base64url JSON", async () => {
      assert.equal(await description("abc.def.ghi"), "token is malformed");
    });
  });

  describe("algorithm and signature", () => {
    it("accepts RS384 and RS512 signed with the issuer's key, each checked with its own hash", async () => {
      for (const alg of ["RS384", "RS512"]) {
        const token = await signRsa(key, idTokenClaims(), alg);
        assert.equal((await check(token)).kind, "allow", alg);
        // The same signature claimed under another RSA hash does not verify.
        const [, payload, signature] = token.split(".");
        const relabelled = `${Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", kid: key.kid })).toString("base64url")}.${payload}.${signature}`;
        assert.equal(await description(relabelled), "crypto/rsa: verification error", alg);
      }
    });

    it("refuses PS256, RSA with PSS padding: no source shows AWS accepting it", async () => {
      assert.equal(
        await description(await signRsa(key, idTokenClaims(), "PS256")),
        "signing method PS256 is invalid",
      );
    });

    it("rejects alg none, HS256 and ES256: only RSA is supported", async () => {
      assert.equal(await description(unsigned(idTokenClaims())), "signing method none is invalid");
      assert.equal(
        await description(await signHs256("secret", idTokenClaims(), "key-1")),
        "signing method HS256 is invalid",
      );
      assert.equal(
        await description(await signEs256(idTokenClaims(), "key-1")),
        "signing method ES256 is invalid",
      );
    });

    it("rejects a token without a kid, or with a kid the issuer does not publish", async () => {
      assert.equal(
        await description(await signRs256(key, idTokenClaims(), { kid: undefined })),
        "the token has no kid header",
      );
      assert.equal(
        await description(await signRs256(other, idTokenClaims())),
        "no signing key matches kid 'key-2'",
      );
    });

    it("rejects a signature made with another key under a known kid", async () => {
      const forged = await signRs256({ ...other, kid: "key-1" }, idTokenClaims());
      assert.equal(await description(forged), "crypto/rsa: verification error");
    });

    it("rejects a token whose claims were changed after signing", async () => {
      const [header, , signature] = (await signRs256(key, idTokenClaims())).split(".");
      const payload = Buffer.from(JSON.stringify(idTokenClaims({ sub: "someone-else" }))).toString(
        "base64url",
      );
      assert.equal(
        await description(`${header}.${payload}.${signature}`),
        "crypto/rsa: verification error",
      );
    });
  });

  describe("claims", () => {
    it("compares the issuer exactly: a missing trailing slash fails", async () => {
      const token = await signRs256(key, idTokenClaims({ iss: ISSUER.slice(0, -1) }));
      assert.equal(await description(token), "the token does not have a valid issuer");
    });

    it("accepts an aud array with one configured audience", async () => {
      const token = await signRs256(key, idTokenClaims({ aud: [API_ID, `${ISSUER}userinfo`] }));
      assert.equal((await check(token)).kind, "allow");
    });

    it("lets aud decide when present, even when client_id would match", async () => {
      const token = await signRs256(
        key,
        idTokenClaims({ aud: "https://other.example", client_id: CLIENT_ID }),
      );
      assert.equal(await description(token), "the token does not have a valid audience");
    });

    it("uses client_id only when there is no aud", async () => {
      const claims = idTokenClaims({ client_id: CLIENT_ID });
      delete claims.aud;
      assert.equal((await check(await signRs256(key, claims))).kind, "allow");
      const stranger = idTokenClaims({ client_id: "someone-else" });
      delete stranger.aud;
      assert.equal(
        await description(await signRs256(key, stranger)),
        "the token does not have a valid audience",
      );
    });

    it("rejects an expired token, at the second of expiry (no leeway)", async () => {
      assert.equal(
        await description(await signRs256(key, idTokenClaims({ exp: NOW }))),
        "the token has expired",
      );
      assert.equal(
        (await check(await signRs256(key, idTokenClaims({ exp: NOW + 1 })))).kind,
        "allow",
      );
    });

    it("rejects a token without exp", async () => {
      const claims = idTokenClaims();
      delete claims.exp;
      assert.equal(await description(await signRs256(key, claims)), "the token has no exp claim");
    });

    it("refuses a time claim that is not a number", async () => {
      for (const claim of ["exp", "nbf", "iat"]) {
        assert.equal(
          await description(await signRs256(key, idTokenClaims({ [claim]: String(NOW - 60) }))),
          `the token's ${claim} claim is not a number`,
        );
      }
    });

    it("rejects nbf or iat in the future", async () => {
      assert.equal(
        await description(await signRs256(key, idTokenClaims({ nbf: NOW + 1 }))),
        "the token is not valid yet",
      );
      assert.equal(
        await description(await signRs256(key, idTokenClaims({ iat: NOW + 1 }))),
        "the token was issued in the future",
      );
      assert.equal(
        (await check(await signRs256(key, idTokenClaims({ nbf: NOW, iat: NOW })))).kind,
        "allow",
      );
    });
  });

  describe("route scopes", () => {
    it("answers 403 when the token has none of the route's scopes", async () => {
      const token = await signRs256(key, idTokenClaims({ scope: "c" }));
      assert.deepEqual(await check(token, ["a", "b"]), {
        kind: "deny",
        status: 403,
        description: "the token does not have the required scopes",
      });
    });

    it("accepts one matching scope and returns the token's full scope list", async () => {
      const token = await signRs256(key, idTokenClaims({ scope: "b c" }));
      const verdict = await check(token, ["a", "b"]);
      assert.equal(verdict.kind, "allow");
      assert.deepEqual(verdict.kind === "allow" && verdict.scopes, ["b", "c"]);
    });

    it("reads scp before scope, as a string or an array", async () => {
      const token = await signRs256(key, idTokenClaims({ scp: ["a"], scope: "z" }));
      const verdict = await check(token, ["a"]);
      assert.deepEqual(verdict.kind === "allow" && verdict.scopes, ["a"]);
    });
  });

  describe("the gateway's answer", () => {
    it("sends Bearer alone when no token came", () => {
      const response = rejection({ kind: "deny", status: 401 }, []);
      assert.equal(response.statusCode, 401);
      // No content type, as AWS's own captured gateway answers (see gatewayResponses.ts).
      assert.deepEqual(response.headers, { "www-authenticate": "Bearer" });
      assert.equal(response.body.toString(), '{"message":"Unauthorized"}');
    });

    it("names the route's scopes, the error and its description, space-separated", () => {
      const response = rejection(
        { kind: "deny", status: 401, description: "the token has expired" },
        ["read:messages", "write:messages"],
      );
      assert.equal(
        response.headers["www-authenticate"],
        'Bearer scope="read:messages write:messages" error="invalid_token" error_description="the token has expired"',
      );
    });

    it("answers 403 Forbidden for a missing scope", () => {
      const response = rejection(
        { kind: "deny", status: 403, description: "the token does not have the required scopes" },
        ["a"],
      );
      assert.equal(response.statusCode, 403);
      assert.equal(response.body.toString(), '{"message":"Forbidden"}');
      assert.equal(
        response.headers["www-authenticate"],
        'Bearer scope="a" error="insufficient_scope" error_description="the token does not have the required scopes"',
      );
    });
  });
});
