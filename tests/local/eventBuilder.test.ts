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
    protocol: "HTTP/1.1",
    receivedAt: 1795867200123,
    requestId: "Mc7UVioPPHcEKPA=",
    ...overrides,
  };
}

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
    assert.deepEqual(received(buildEvent(request(), CTX)), {
      version: "2.0",
      routeKey: "GET /private",
      rawPath: "/private",
      rawQueryString: "",
      headers: { host: "127.0.0.1:3000", "user-agent": "curl/8.0" },
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
    assert.deepEqual(event.headers, { "x-trace": "a,b" });
    assert.deepEqual(event.cookies, ["c1=v1", "c2=v2", "c3=v3"]);
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
      JSON.stringify(event.headers),
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
