import * as assert from "node:assert/strict";
import { mapLambdaResult } from "../../local/gateway/responseMapper";

/** The response with its text body, headers as a plain object (the mapper's has no prototype). */
const text = (r: ReturnType<typeof mapLambdaResult>) =>
  r && { ...r, headers: { ...r.headers }, body: r.body.toString() };

describe("payload 2.0 response mapping", () => {
  it("sends a structured response as given, cookies as set-cookie headers", () => {
    assert.deepEqual(
      text(
        mapLambdaResult({
          statusCode: 201,
          headers: { "Content-Type": "text/plain", "X-Count": 3 },
          cookies: ["a=1; Path=/", "b=2"],
          body: "made",
          multiValueHeaders: { ignored: ["yes"] },
        }),
      ),
      {
        statusCode: 201,
        headers: {
          "content-type": "text/plain",
          "x-count": "3",
          "set-cookie": ["a=1; Path=/", "b=2"],
        },
        body: "made",
      },
    );
  });

  it("decodes a base64 body", () => {
    const result = mapLambdaResult({
      statusCode: 200,
      body: Buffer.from([0, 1, 255]).toString("base64"),
      isBase64Encoded: true,
    });
    assert.deepEqual(result?.body, Buffer.from([0, 1, 255]));
  });

  it("treats JSON without statusCode as a 200 application/json body", () => {
    assert.deepEqual(text(mapLambdaResult({ message: "Hello from Lambda!" })), {
      statusCode: 200,
      headers: { "content-type": "application/json" },
      body: '{"message":"Hello from Lambda!"}',
    });
    // AWS's response table: a returned string is the body as it is, without JSON's quotes.
    assert.deepEqual(text(mapLambdaResult("Hello from Lambda!")), {
      statusCode: 200,
      headers: { "content-type": "application/json" },
      body: "Hello from Lambda!",
    });
    assert.equal(text(mapLambdaResult(42))?.body, "42");
    assert.equal(text(mapLambdaResult(null))?.body, "null");
    assert.equal(text(mapLambdaResult(undefined))?.body, "null");
  });

  it("sends an empty body when a structured response has none", () => {
    assert.deepEqual(text(mapLambdaResult({ statusCode: 204 })), {
      statusCode: 204,
      headers: {},
      body: "",
    });
  });

  for (const [what, result] of [
    ["a status that is not a number", { statusCode: "200" }],
    ["a status out of range", { statusCode: 99 }],
    ["a body that is not a string", { statusCode: 200, body: { a: 1 } }],
    ["headers that are not an object", { statusCode: 200, headers: "x" }],
    ["a header value that is an object", { statusCode: 200, headers: { a: { b: 1 } } }],
    ["a header with a line break", { statusCode: 200, headers: { a: "1\r\nx: y" } }],
    ["cookies that are not strings", { statusCode: 200, cookies: [1] }],
    ["isBase64Encoded that is not a boolean", { statusCode: 200, isBase64Encoded: "yes" }],
  ] as const) {
    it(`refuses ${what} (the gateway answers 500)`, () => {
      assert.equal(mapLambdaResult(result), undefined);
    });
  }
});
