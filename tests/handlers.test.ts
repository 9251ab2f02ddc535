import * as assert from "node:assert/strict";
import { handler as privateHandler } from "../handlers/private";
import { handler as publicHandler } from "../handlers/public";
import { httpEvent, jwtEvent } from "./support/events";

describe("handlers", () => {
  describe("GET /public", () => {
    it("greets a stranger", async () => {
      const result = await publicHandler(
        httpEvent({ routeKey: "GET /public", rawPath: "/public" }),
      );
      assert.deepEqual(result, {
        statusCode: 200,
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: "Hello stranger!",
      });
    });
  });

  describe("GET /private", () => {
    it("greets the caller by the sub claim the authorizer passed on", async () => {
      const event = jwtEvent({
        routeKey: "GET /private",
        rawPath: "/private",
        claims: { sub: "auth0|60357a6d98e3e5006a9d74a3", aud: "client-id", exp: "1614176219" },
      });
      const result = await privateHandler(event);
      assert.deepEqual(result, {
        statusCode: 200,
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: "Hello auth0|60357a6d98e3e5006a9d74a3!",
      });
    });

    it("never reads the Authorization header itself", async () => {
      const event = jwtEvent({
        routeKey: "GET /private",
        rawPath: "/private",
        claims: { sub: "from-claims" },
      });
      event.headers.authorization = "Bearer not-even-a-token";
      assert.equal((await privateHandler(event)).body, "Hello from-claims!");
    });
  });
});
