import * as assert from "node:assert/strict";
import { applyCors, isPreflight, preflightResponse } from "../../local/gateway/cors";

const CORS = {
  allowOrigins: ["http://localhost:5173"],
  allowMethods: ["GET", "OPTIONS"],
  allowHeaders: ["authorization", "content-type"],
  allowCredentials: false,
  maxAge: 600,
};

describe("CORS", () => {
  it("recognises a preflight by OPTIONS with Origin and Access-Control-Request-Method", () => {
    assert.equal(
      isPreflight("OPTIONS", { origin: "x", "access-control-request-method": "GET" }),
      true,
    );
    assert.equal(isPreflight("OPTIONS", { origin: "x" }), false);
    assert.equal(
      isPreflight("GET", { origin: "x", "access-control-request-method": "GET" }),
      false,
    );
  });

  it("answers an allowed preflight from the Api's configuration", () => {
    assert.deepEqual(
      preflightResponse(CORS, {
        origin: "http://localhost:5173",
        "access-control-request-method": "GET",
      }),
      {
        statusCode: 204,
        headers: {
          "access-control-allow-origin": "http://localhost:5173",
          "access-control-allow-methods": "GET,OPTIONS",
          "access-control-allow-headers": "authorization,content-type",
          "access-control-max-age": "600",
        },
        body: Buffer.alloc(0),
      },
    );
  });

  it("leaves the CORS headers out for an origin it does not allow", () => {
    const response = preflightResponse(CORS, {
      origin: "https://evil.example",
      "access-control-request-method": "GET",
    });
    assert.deepEqual({ ...response.headers }, {});
  });

  it("adds the configured headers to a response and drops the backend's own", () => {
    const response = applyCors(CORS, "http://localhost:5173", {
      statusCode: 200,
      headers: { "content-type": "text/plain", "access-control-allow-origin": "*" },
      body: Buffer.from("ok"),
    });
    assert.deepEqual(
      { ...response.headers },
      {
        "content-type": "text/plain",
        "access-control-allow-origin": "http://localhost:5173",
      },
    );
  });
});
