import * as assert from "node:assert/strict";
import { buildEvent, clfTime, isTextContentType } from "../../local/gateway/eventBuilder";
import type { GatewayRequest } from "../../local/gateway/request";

function request(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: "GET",
    rawPath: "/private",
    rawQueryString: "",
    rawHeaders: ["Host", "127.0.0.1:3000", "User-Agent", "curl/8.0"],
    body: Buffer.alloc(0),
    sourceIp: "127.0.0.1",
    localPort: 3000,
    protocol: "HTTP/1.1",
    receivedAt: 1795867200123,
    requestId: "Mc7UVioPPHcEKPA=",
    ...overrides,
  };
}

/** The headers API Gateway adds to every request (see the test of them below), left out. */
const clientHeaders = (headers: Record<string, string | undefined>) => {
  const {
    "x-forwarded-for": _for,
    "x-forwarded-port": _port,
    "x-forwarded-proto": _proto,
    "x-amzn-trace-id": _trace,
    "content-length": _length,
    ...rest
  } = headers;
  return rest;
};

/** The event as the function receives it: it crosses to the function as JSON text. */
const received = (event: ReturnType<typeof buildEvent>) =>
  JSON.parse(JSON.stringify(event)) as ReturnType<typeof buildEvent>;

const CTX = {
  accountId: "123456789012",
  apiId: "abc123",
  routeKey: "GET /private",
  pathParameters: {},
};

describe("payload 2.0 event", () => {
  it("has exactly the documented fields, optional ones omitted", () => {
    const event = received(buildEvent(request(), CTX));
    assert.match(event.headers["x-amzn-trace-id"]!, /^Root=1-6b0ac240-[0-9a-f]{24}$/);
    event.headers["x-amzn-trace-id"] = "<trace>";
    assert.deepEqual(event, {
      version: "2.0",
      routeKey: "GET /private",
      rawPath: "/private",
      rawQueryString: "",
      headers: {
        // A bodiless request carries a length of 0, as AWS's own capture shows.
        "content-length": "0",
        host: "127.0.0.1:3000",
        "user-agent": "curl/8.0",
        "x-forwarded-for": "127.0.0.1",
        "x-forwarded-port": "3000",
        "x-forwarded-proto": "http",
        "x-amzn-trace-id": "<trace>",
      },
      requestContext: {
        accountId: "123456789012",
        apiId: "abc123",
        domainName: "127.0.0.1:3000",
        domainPrefix: "127",
        http: {
          method: "GET",
          path: "/private",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "curl/8.0",
        },
        requestId: "Mc7UVioPPHcEKPA=",
        routeKey: "GET /private",
        stage: "$default",
        time: "28/Nov/2026:12:00:00 +0000",
        timeEpoch: 1795867200123,
      },
      isBase64Encoded: false,
    });
  });

  it("lowercases header names, joins duplicates with commas and moves cookies out", () => {
    const event = received(
      buildEvent(
        request({
          rawHeaders: ["X-Trace", "a", "x-trace", "b", "Cookie", "c1=v1; c2=v2", "cookie", "c3=v3"],
        }),
        CTX,
      ),
    );
    assert.deepEqual(clientHeaders(event.headers), { "x-trace": "a,b" });
    assert.deepEqual(event.cookies, ["c1=v1", "c2=v2", "c3=v3"]);
  });

  it("adds the headers API Gateway adds: forwarding, a trace ID, the length of a body", () => {
    const event = received(
      buildEvent(
        request({
          method: "POST",
          rawHeaders: ["X-Forwarded-For", "203.0.113.7", "Transfer-Encoding", "chunked"],
          sourceIp: "127.0.0.1",
          localPort: 3000,
          body: Buffer.from("hello"),
        }),
        CTX,
      ),
    );
    assert.equal(event.headers["x-forwarded-for"], "203.0.113.7, 127.0.0.1");
    assert.equal(event.headers["x-forwarded-port"], "3000");
    assert.equal(event.headers["x-forwarded-proto"], "http");
    assert.equal(event.headers["content-length"], "5");
    assert.equal(event.headers["transfer-encoding"], undefined);
    assert.match(event.headers["x-amzn-trace-id"]!, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it("keeps a trace ID the client sent", () => {
    const trace = "Root=1-6a5145a9-1bae89e2512ec92d5d9438a0";
    const event = received(buildEvent(request({ rawHeaders: ["X-Amzn-Trace-Id", trace] }), CTX));
    assert.equal(event.headers["x-amzn-trace-id"], trace);
  });

  for (const [sent, path] of [
    ["/capture/space%20value", "/capture/space value"],
    ["/RSC/%40id%2Fassets%2Frsf0.js%23save.txt", "/RSC/@id/assets/rsf0.js#save.txt"],
    ["/caf%C3%A9", "/café"],
    ["/users/me%3Fadmin=true", "/users/me"],
    ["/public/", "/public/"],
  ]) {
    it(`hands the integration ${sent} decoded, as ${path}, in rawPath and http.path`, () => {
      const event = received(buildEvent(request({ rawPath: sent! }), CTX));
      assert.deepEqual([event.rawPath, event.requestContext.http.path], [path, path]);
    });
  }

  it("carries the stage's variables, and omits them when there are none", () => {
    const withVars = received(buildEvent(request(), { ...CTX, stageVariables: { env: "dev" } }));
    assert.deepEqual(withVars.stageVariables, { env: "dev" });
    const without = received(buildEvent(request(), { ...CTX, stageVariables: {} }));
    assert.equal("stageVariables" in without, false);
  });

  it("keeps the raw query string and decodes parameters, duplicates comma-joined", () => {
    const event = received(
      buildEvent(request({ rawQueryString: "a=1&a=2&b=x%20y&c=d+e&flag" }), CTX),
    );
    assert.equal(event.rawQueryString, "a=1&a=2&b=x%20y&c=d+e&flag");
    assert.deepEqual(event.queryStringParameters, { a: "1,2", b: "x y", c: "d e", flag: "" });
  });

  it("keeps headers and parameters named like Object's own members", () => {
    const event = received(
      buildEvent(
        request({
          rawHeaders: ["Constructor", "c", "__proto__", "p", "toString", "t", "constructor", "d"],
          rawQueryString: "constructor=1&__proto__=2&hasOwnProperty=3",
        }),
        CTX,
      ),
    );
    assert.deepEqual(
      JSON.stringify(clientHeaders(event.headers)),
      '{"constructor":"c,d","__proto__":"p","tostring":"t"}',
    );
    assert.deepEqual(
      JSON.stringify(event.queryStringParameters),
      '{"constructor":"1","__proto__":"2","hasOwnProperty":"3"}',
    );
  });

  it("never throws on malformed percent-encoding: it keeps the text as sent", () => {
    const event = received(buildEvent(request({ rawQueryString: "a=%E0%A4%A&b=%41" }), CTX));
    assert.deepEqual(event.queryStringParameters, { a: "%E0%A4%A", b: "A" });
  });

  it("carries path parameters and the authorizer's claims and scopes", () => {
    const event = buildEvent(request(), {
      ...CTX,
      pathParameters: { id: "7" },
      jwt: { claims: { sub: "abc" }, scopes: null },
    });
    assert.deepEqual(event.pathParameters, { id: "7" });
    assert.deepEqual((event.requestContext as unknown as { authorizer: unknown }).authorizer, {
      jwt: { claims: { sub: "abc" }, scopes: null },
    });
  });

  it("passes text bodies as UTF-8 and everything else as base64", () => {
    const json = buildEvent(
      request({
        rawHeaders: ["Content-Type", "application/json; charset=utf-8"],
        body: Buffer.from('{"a":"é"}'),
      }),
      CTX,
    );
    assert.equal(json.body, '{"a":"é"}');
    assert.equal(json.isBase64Encoded, false);
    const form = buildEvent(
      request({
        rawHeaders: ["Content-Type", "application/x-www-form-urlencoded"],
        body: Buffer.from("a=1"),
      }),
      CTX,
    );
    assert.equal(form.body, "YT0x");
    assert.equal(form.isBase64Encoded, true);
    const none = buildEvent(request({ rawHeaders: [], body: Buffer.from([0xff]) }), CTX);
    assert.equal(none.body, "/w==");
    assert.equal(none.isBase64Encoded, true);
  });

  it("counts text/*, JSON, XML and JavaScript as text, nothing else", () => {
    assert.deepEqual(
      [
        "text/html",
        "application/json",
        "application/xml",
        "application/javascript",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "application/octet-stream",
        undefined,
      ].map(isTextContentType),
      [true, true, true, true, false, false, false, false],
    );
  });

  it("formats the request time like the doc's example", () => {
    assert.equal(clfTime(Date.UTC(2020, 2, 12, 19, 3, 58)), "12/Mar/2020:19:03:58 +0000");
  });
});
