import * as assert from "node:assert/strict";
import fc from "fast-check";
import { exportSPKI, importJWK, SignJWT, type JWTPayload } from "jose";
import { authorize } from "../../local/authorizer/jwtAuthorizer";
import { formatClaims } from "../../local/authorizer/claims";
import { buildEvent } from "../../local/gateway/eventBuilder";
import { mapLambdaResult } from "../../local/gateway/responseMapper";
import { compileRoutes, matchRoute } from "../../local/gateway/routeMatcher";
import {
  API_ID,
  CLIENT_ID,
  idTokenClaims,
  ISSUER,
  NOW,
  rsaKey,
  signRs256,
  StaticKeys,
  type TestKey,
  AUTHORIZER_CONFIG,
} from "../support/tokens";

const CONFIG = AUTHORIZER_CONFIG;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("properties (fast-check)", function () {
  let trusted: TestKey;
  let attacker: TestKey;
  let keys: StaticKeys;
  let trustedPem: string;

  before(async () => {
    trusted = await rsaKey("trusted");
    attacker = await rsaKey("attacker");
    keys = await StaticKeys.of(trusted);
    trustedPem = await exportSPKI(
      (await importJWK(trusted.publicJwk, "RS256", { extractable: true })) as Parameters<
        typeof exportSPKI
      >[0],
    );
  });

  const claimsArb: fc.Arbitrary<JWTPayload> = fc.record(
    {
      iss: fc.oneof(fc.constant(ISSUER), fc.string()),
      aud: fc.oneof(fc.constant(CLIENT_ID), fc.constant<string[]>([API_ID, "x"]), fc.string()),
      sub: fc.string(),
      exp: fc.oneof(fc.constant(NOW + 3600), fc.integer()),
      nbf: fc.integer(),
      iat: fc.integer({ min: 0, max: NOW }),
      scope: fc.string(),
      client_id: fc.constant(CLIENT_ID),
    },
    { requiredKeys: ["iss", "aud", "exp"] },
  );
  const headerArb = fc.record(
    {
      alg: fc.oneof(
        fc.constantFrom("RS256", "RS384", "RS512", "PS256", "HS256", "ES256", "none", "EdDSA"),
        fc.string(),
      ),
      kid: fc.oneof(fc.constant("trusted"), fc.string()),
      typ: fc.constantFrom("JWT", "at+jwt"),
      jku: fc.constant("https://attacker.example/jwks.json"),
    },
    { requiredKeys: ["alg", "kid"] },
  );
  type Forgery =
    "attacker-key" | "hmac-with-public-key" | "unsigned" | "random-signature" | "tampered";
  const forgeryArb = fc.constantFrom<Forgery>(
    "attacker-key",
    "hmac-with-public-key",
    "unsigned",
    "random-signature",
    "tampered",
  );

  async function forge(
    kind: Forgery,
    header: Record<string, unknown>,
    claims: JWTPayload,
    noise: Uint8Array,
  ): Promise<string> {
    switch (kind) {
      case "attacker-key":
        return new SignJWT(claims)
          .setProtectedHeader({ ...header, alg: "RS256" })
          .sign(attacker.privateKey);
      case "hmac-with-public-key":
        // The classic algorithm confusion: HS256 keyed with the issuer's public key.
        return new SignJWT(claims)
          .setProtectedHeader({ ...header, alg: "HS256" })
          .sign(new TextEncoder().encode(trustedPem));
      case "unsigned":
        return `${b64(header)}.${b64(claims)}.`;
      case "random-signature":
        return `${b64(header)}.${b64(claims)}.${Buffer.from(noise).toString("base64url")}`;
      case "tampered": {
        const [h, , s] = (await signRs256(trusted, idTokenClaims())).split(".");
        return `${h}.${b64(claims)}.${s}`;
      }
    }
  }

  it("never accepts a token the trusted key did not sign, whatever its header and claims", async () => {
    await fc.assert(
      fc.asyncProperty(
        forgeryArb,
        headerArb,
        claimsArb,
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        async (kind, header, claims, noise) => {
          const token = await forge(kind, header, claims, noise);
          const tampered =
            kind === "tampered" && JSON.stringify(claims) === JSON.stringify(idTokenClaims());
          fc.pre(!tampered);
          const verdict = await authorize({
            identity: `Bearer ${token}`,
            config: CONFIG,
            routeScopes: [],
            keys,
            now: NOW,
          });
          assert.equal(verdict.kind, "deny", `accepted a ${kind} token: ${token}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("does accept what the trusted key signed (the property above is not vacuous)", async () => {
    const verdict = await authorize({
      identity: `Bearer ${await signRs256(trusted, idTokenClaims())}`,
      config: CONFIG,
      routeScopes: [],
      keys,
      now: NOW,
    });
    assert.equal(verdict.kind, "allow");
  });

  it("route matching never throws, whatever the routes, method and path", () => {
    const segment = fc.oneof(
      fc.string(),
      fc.constant("{id}"),
      fc.constant("{proxy+}"),
      fc.constant(""),
    );
    const routeKey = fc.oneof(
      fc.constant("$default"),
      fc
        .tuple(fc.constantFrom("GET", "POST", "ANY"), fc.array(segment, { maxLength: 4 }))
        .map(([m, s]) => `${m} /${s.join("/")}`),
    );
    fc.assert(
      fc.property(
        fc.array(routeKey, { maxLength: 8 }),
        fc.string(),
        fc.string({ unit: "binary" }),
        (keys, method, path) => {
          matchRoute(compileRoutes(keys.map((k) => ({ routeKey: k }))), method, path);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("building an event never throws, whatever the request", () => {
    const request = fc.record({
      method: fc.string(),
      rawPath: fc.string({ unit: "binary" }),
      rawQueryString: fc.string({ unit: "binary" }),
      rawHeaders: fc
        .array(
          fc.tuple(
            fc.oneof(fc.string(), fc.constantFrom("Cookie", "content-type", "Host")),
            fc.string({ unit: "binary" }),
          ),
        )
        .map((pairs) => pairs.flat()),
      body: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      sourceIp: fc.string(),
      localPort: fc.integer({ min: 0, max: 65535 }),
      protocol: fc.constant("HTTP/1.1"),
      receivedAt: fc.integer({ min: 0, max: 4102444800000 }),
      requestId: fc.string(),
    });
    const context = fc.record({
      accountId: fc.string(),
      apiId: fc.string(),
      routeKey: fc.string(),
      pathParameters: fc.dictionary(fc.string(), fc.string()),
    });
    fc.assert(
      fc.property(request, context, (r, c) => void buildEvent(r, c)),
      { numRuns: 500 },
    );
  });

  it("mapping a function's result never throws, whatever it returned", () => {
    const structured = fc.record(
      {
        statusCode: fc.oneof(fc.integer(), fc.anything()),
        headers: fc.oneof(
          fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.anything())),
          fc.anything(),
        ),
        cookies: fc.oneof(fc.array(fc.string()), fc.anything()),
        body: fc.oneof(fc.string(), fc.anything()),
        isBase64Encoded: fc.oneof(fc.boolean(), fc.anything()),
      },
      { requiredKeys: ["statusCode"] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          structured,
          fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }),
        ),
        (result) => {
          void mapLambdaResult(result);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("formatting claims never throws, whatever the token carried", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        (claims) => void formatClaims(claims),
      ),
      { numRuns: 500 },
    );
  });
});
