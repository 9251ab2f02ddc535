import * as assert from "node:assert/strict";
import { connect } from "node:net";
import { AUDIENCE, ISSUER } from "../fixtures/fidelityFacts";
import { REQUEST_ID, send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import {
  idTokenClaims,
  NOW,
  rsaKey,
  signHs256,
  signRs256,
  unsigned,
  type TestKey,
} from "../support/tokens";
import { waitFor } from "../support/waitFor";

/** The fixture's routes, on a frozen clock: `NOW` for every time check. */
describe("local API Gateway fidelity (fixture program, frozen clock)", function () {
  let running: RunningEnv;
  let api: string;
  let key: TestKey;
  const claims = (overrides = {}) => idTokenClaims({ aud: AUDIENCE, ...overrides });
  const bearer = async (overrides = {}) => ({
    authorization: `Bearer ${await signRs256(key, claims(overrides))}`,
  });
  const echoOf = (body: string) => JSON.parse(body) as Record<string, never>;
  const challenge = (scope: string, description: string) =>
    `Bearer scope="${scope}" error="invalid_token" error_description="${description}"`;

  before(async () => {
    running = await startTestEnvironment("fidelity", {
      entry: "tests/fixtures/fidelityProgram.ts",
      clock: () => NOW * 1000,
    });
    api = running.env.apiEndpoint;
    key = await running.issuerKey();
  });
  after(() => running?.stop());

  describe("route selection", () => {
    for (const [method, path, routeKey, pathParameters] of [
      ["GET", "/pets/dog/1", "GET /pets/dog/1", undefined],
      ["GET", "/pets/dog/2", "GET /pets/dog/{id}", { id: "2" }],
      ["GET", "/pets/cat/1", "GET /pets/{proxy+}", { proxy: "cat/1" }],
      ["POST", "/test/5", "ANY /{proxy+}", { proxy: "test/5" }],
      ["GET", "/", "$default", undefined],
    ] as const) {
      it(`${method} ${path} goes to ${routeKey}`, async () => {
        const event = echoOf((await send(api, method, path)).body);
        assert.equal(event.routeKey, routeKey);
        assert.deepEqual(event.pathParameters, pathParameters);
      });
    }
  });

  describe("the JWT authorizer", () => {
    it("accepts the token with or without Bearer and passes claims as strings, scopes null", async () => {
      const token = await signRs256(key, claims({ scope: "read:messages", roles: ["a", "b"] }));
      for (const authorization of [`Bearer ${token}`, token]) {
        const reply = await send(api, "GET", "/jwt", { authorization });
        assert.equal(reply.status, 200);
        const { authorizer } = echoOf(reply.body).requestContext as { authorizer: unknown };
        assert.deepEqual(authorizer, {
          jwt: {
            claims: {
              nickname: "jane.doe",
              name: "jane.doe@example.com",
              updated_at: "2021-02-24T04:12:18.472Z",
              iss: ISSUER,
              sub: "auth0|60357a6d98e3e5006a9d74a3",
              aud: AUDIENCE,
              iat: String(NOW - 60),
              exp: String(NOW + 3600),
              scope: "read:messages",
              roles: "[a b]",
            },
            scopes: null,
          },
        });
      }
    });

    const rejections: [string, () => Promise<string>, string][] = [
      [
        "a malformed token",
        async () => "not-a-token",
        "token contains an invalid number of segments",
      ],
      ["alg none", async () => unsigned(claims()), "signing method none is invalid"],
      [
        "HS256",
        async () => signHs256("secret", claims(), key.kid),
        "signing method HS256 is invalid",
      ],
      [
        "a forged signature",
        async () => signRs256({ ...(await rsaKey("x")), kid: key.kid }, claims()),
        "crypto/rsa: verification error",
      ],
      [
        "an unknown kid",
        async () => signRs256(await rsaKey("unknown-kid"), claims()),
        "no signing key matches kid 'unknown-kid'",
      ],
      [
        "the issuer without its trailing slash",
        async () => signRs256(key, claims({ iss: ISSUER.slice(0, -1) })),
        "the token does not have a valid issuer",
      ],
      [
        "a wrong audience, even with a matching client_id",
        async () => signRs256(key, claims({ aud: "other", client_id: AUDIENCE })),
        "the token does not have a valid audience",
      ],
      [
        "an expired token",
        async () => signRs256(key, claims({ exp: NOW })),
        "the token has expired",
      ],
      [
        "nbf in the future",
        async () => signRs256(key, claims({ nbf: NOW + 1 })),
        "the token is not valid yet",
      ],
      [
        "iat in the future",
        async () => signRs256(key, claims({ iat: NOW + 1 })),
        "the token was issued in the future",
      ],
    ];
    for (const [what, token, description] of rejections) {
      it(`rejects ${what} with 401 and AWS's www-authenticate shape`, async () => {
        const reply = await send(api, "GET", "/jwt", { authorization: `Bearer ${await token()}` });
        assert.deepEqual(reply, {
          status: 401,
          headers: {
            "www-authenticate": challenge("", description),
            "content-length": "26",
            "apigw-requestid": reply.headers["apigw-requestid"],
          },
          body: '{"message":"Unauthorized"}',
        });
      });
    }

    it("names the route's scopes in the challenge", async () => {
      const reply = await send(api, "GET", "/scoped", await bearer({ exp: NOW - 1 }));
      assert.equal(
        reply.headers["www-authenticate"],
        challenge("read:messages write:messages", "the token has expired"),
      );
    });

    it("answers 403 Forbidden when the token has none of the route's scopes", async () => {
      const reply = await send(api, "GET", "/scoped", await bearer({ scope: "openid profile" }));
      assert.equal(reply.status, 403);
      assert.equal(reply.body, '{"message":"Forbidden"}');
    });

    it("passes the token's full scope list on a scoped route", async () => {
      const reply = await send(
        api,
        "GET",
        "/scoped",
        await bearer({ scope: "openid write:messages" }),
      );
      const { authorizer } = echoOf(reply.body).requestContext as {
        authorizer: { jwt: { scopes: string[] } };
      };
      assert.deepEqual(authorizer.jwt.scopes, ["openid", "write:messages"]);
    });
  });

  describe("the payload 2.0 event over the wire", () => {
    it("carries lowercased, comma-joined headers, cookies, the raw query and a base64 body", async () => {
      const reply = await send(
        api,
        "POST",
        "/echo/x?a=1&a=2&b=%20",
        {
          "X-Multi": ["one", "two"],
          Cookie: "c1=v1; c2=v2",
          "Content-Type": "application/octet-stream",
        },
        Buffer.from([0, 1, 2]),
      );
      const event = echoOf(reply.body);
      assert.equal(event.rawPath, "/echo/x");
      assert.equal(event.rawQueryString, "a=1&a=2&b=%20");
      assert.deepEqual(event.queryStringParameters, { a: "1,2", b: " " });
      assert.deepEqual(event.cookies, ["c1=v1", "c2=v2"]);
      assert.equal((event.headers as Record<string, string>)["x-multi"], "one,two");
      assert.equal((event.headers as Record<string, string>).cookie, undefined);
      assert.equal(event.body, "AAEC");
      assert.equal(event.isBase64Encoded, true);
      const ctx = event.requestContext as {
        http: Record<string, string>;
        stage: string;
        timeEpoch: number;
      };
      assert.deepEqual(ctx.http, {
        method: "POST",
        path: "/echo/x",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "",
      });
      assert.equal(ctx.stage, "$default");
      assert.equal(event.requestContext["requestId" as never], reply.headers["apigw-requestid"]);
    });
  });

  describe("response mapping", () => {
    it("sends a result without statusCode as 200 JSON", async () => {
      const reply = await send(api, "GET", "/plain");
      assert.equal(reply.status, 200);
      assert.equal(reply.headers["content-type"], "application/json");
      assert.equal(reply.body, '{"hello":"world"}');
    });

    it("sends each cookie as its own set-cookie header", async () => {
      const reply = await send(api, "GET", "/cookies");
      assert.deepEqual(reply.headers["set-cookie"], ["a=1; Path=/", "b=2"]);
    });
  });

  describe("function failures", () => {
    for (const [path, what] of [
      ["/throws", "a function that throws"],
      ["/garbage", "a response API Gateway cannot map"],
      ["/hangs", "a function past its own timeout"],
      ["/exits", "a function that calls process.exit"],
    ] as const) {
      it(`answers ${what} with 500 Internal Server Error and keeps serving`, async () => {
        const reply = await send(api, "GET", path);
        assert.equal(reply.status, 500);
        assert.equal(reply.body, '{"message":"Internal Server Error"}');
        assert.match(String(reply.headers["apigw-requestid"]), REQUEST_ID);
        assert.equal((await send(api, "GET", "/plain")).status, 200);
      });
    }

    it("answers null (200, body null) for a promise never settled once nothing is left to run", async () => {
      // Not a timeout (that would be a 500): the runtime answers once the event loop is empty.
      const reply = await send(api, "GET", "/never-settles");
      assert.deepEqual([reply.status, reply.body], [200, "null"]);
    });

    it("answers 503 Service Unavailable past the integration's timeout", async () => {
      // The function answers 200 after 1.5 s; 503 is the gateway giving up at 500 ms, first.
      const reply = await send(api, "GET", "/slow");
      assert.equal(reply.status, 503);
      assert.equal(reply.body, '{"message":"Service Unavailable"}');
    });

    it("prints a function's console lines in Lambda's format, prefixed with its name", async () => {
      const reply = await send(api, "GET", "/logs");
      assert.equal(reply.status, 204);
      // LAMBDA-LOGS: time, the invocation's request ID, level, message.
      const line = await waitFor(`the prefixed line, in: ${running.logs.join("\n")}`, () =>
        running.logs.find((l) => l.endsWith("\tINFO\thello from the function")),
      );
      const [prefix, time, requestId] = line.split(/[ \t]/);
      assert.match(prefix!, /^\[fidelity-\d+\]$/);
      assert.match(time!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // Lambda's request ID, which the request's own line names beside API Gateway's.
      const requestLine = running.logs.find((l) =>
        l.includes(` requestId=${String(reply.headers["apigw-requestid"])} `),
      );
      assert.equal(requestLine?.endsWith(` integrationRequestId=${requestId}`), true, requestLine);
      assert.notEqual(requestId, reply.headers["apigw-requestid"]);
    });
  });

  it("reuses a warm execution environment, as Lambda does", async () => {
    const first = Number((await send(api, "GET", "/counter")).body);
    const second = Number((await send(api, "GET", "/counter")).body);
    assert.equal(second, first + 1);
  });

  it("survives malformed HTTP and keeps serving", async () => {
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(api).port), "127.0.0.1", () =>
        socket.write("NOT HTTP\r\n\r\n"),
      );
      let data = "";
      socket.on("data", (d) => (data += d));
      socket.on("close", () => resolve(data));
    });
    assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.equal((await send(api, "GET", "/plain")).status, 200);
  });

  it("does not throttle without --throttle", async () => {
    const replies = await Promise.all(Array.from({ length: 10 }, () => send(api, "GET", "/plain")));
    assert.deepEqual(
      replies.map((r) => r.status),
      Array(10).fill(200),
    );
  });
});
