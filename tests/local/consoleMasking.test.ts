import * as assert from "node:assert/strict";
import { MASKED, maskEvent, maskQueryString } from "../../local/console/masking";
import { environmentOptions } from "../../local/cli/startOptions";
import { startFlags } from "../support/startFlags";
import { postConsole } from "../support/consoleClient";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { PROJECT_DIR } from "../support/program";
import { localIssuerSigner } from "../support/tokens";
import { waitFor } from "../support/waitFor";

/** A token's shape: a JOSE header, a payload, a signature. */
const JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

describe("the console keeps tokens to the developer", function () {
  describe("what a kept request's details show", () => {
    it("masks the authorization header, cookies, credential query parameters and any JWT", () => {
      const event = {
        version: "2.0",
        rawPath: "/private",
        rawQueryString: "a=1&access_token=abc&code=xyz&b=2&t=" + JWT,
        cookies: ["session=s3cret", "theme=dark"],
        headers: {
          authorization: `Bearer ${JWT}`,
          cookie: "session=s3cret; theme=dark",
          "x-id-token": JWT,
          "user-agent": "curl/8",
        },
        queryStringParameters: { a: "1", access_token: "abc", code: "xyz", b: "2", t: JWT },
      };
      assert.deepEqual(JSON.parse(maskEvent(JSON.stringify(event))), {
        version: "2.0",
        rawPath: "/private",
        rawQueryString: `a=1&access_token=${MASKED}&code=${MASKED}&b=2&t=${MASKED}`,
        cookies: [`session=${MASKED}`, `theme=${MASKED}`],
        headers: {
          authorization: MASKED,
          cookie: MASKED,
          "x-id-token": MASKED,
          "user-agent": "curl/8",
        },
        queryStringParameters: { a: "1", access_token: MASKED, code: MASKED, b: "2", t: MASKED },
      });
    });

    it("reads parameter names as written, percent-encoded or not, and leaves other values alone", () => {
      assert.equal(
        maskQueryString("ID_TOKEN=x&id%5Ftoken=y&q=a.b.c&empty"),
        `ID_TOKEN=${MASKED}&id%5Ftoken=${MASKED}&q=a.b.c&empty`,
      );
    });
  });

  describe("over sockets", () => {
    let running: RunningEnv;
    before(async () => {
      running = await startTestEnvironment("console-masking", {
        console: { host: "127.0.0.1", port: 0 },
      });
    });
    after(() => running?.stop());

    it("shows no token in a request's details, and replays it with the token it held", async () => {
      const token = await (await localIssuerSigner(running.stateDir)).sign("masked-user");
      const answer = await send(
        running.env.apiEndpoint,
        "GET",
        `/private?access_token=${token}&n=1`,
        {
          authorization: `Bearer ${token}`,
          cookie: "session=s3cret",
        },
      );
      assert.equal(answer.body, "Hello masked-user!");
      const requestId = answer.headers["apigw-requestid"] as string;
      const consoleUrl = running.env.consoleUrl!;
      const detail = await waitFor("the request's details kept", async () => {
        const reply = await send(consoleUrl, "GET", `/api/requests/${requestId}`);
        return reply.status === 200 && reply.body;
      });
      assert.equal(detail.includes(token), false);
      assert.equal(detail.includes("s3cret"), false);
      const event = JSON.parse(JSON.parse(detail).event) as {
        headers: Record<string, string>;
        rawQueryString: string;
      };
      assert.equal(event.headers.authorization, MASKED);
      assert.equal(event.rawQueryString, `access_token=${MASKED}&n=1`);

      const replayed = await postConsole(consoleUrl, "/api/replay", { requestId });
      assert.equal(replayed.status, 200);
      assert.equal(replayed.json.status, 200);
      assert.equal(replayed.json.body, "Hello masked-user!");
      assert.equal(replayed.body.includes(token), false);
      assert.equal(
        replayed.json.curl,
        `curl -i -H 'Authorization: Bearer $TOKEN' '${running.env.apiEndpoint}/private?access_token=${MASKED}&n=1'`,
      );
    });

    it("refuses another site's page before any work: an event stream, a token, the requests", async () => {
      const consoleUrl = running.env.consoleUrl!;
      const refusal = { message: "the console answers its own page only, not another site's" };
      const events = await send(consoleUrl, "GET", "/api/events", {
        origin: "http://evil.example",
      });
      assert.deepEqual([events.status, JSON.parse(events.body)], [403, refusal]);
      const requests = await send(consoleUrl, "GET", "/api/requests", {
        "sec-fetch-site": "cross-site",
      });
      assert.deepEqual([requests.status, JSON.parse(requests.body)], [403, refusal]);
      const token = await postConsole(
        consoleUrl,
        "/api/token",
        { username: "x", kind: "id" },
        { origin: "http://localhost:5173", "sec-fetch-site": "same-site" },
      );
      assert.deepEqual([token.status, token.json], [403, refusal]);
      const own = await send(consoleUrl, "GET", "/api/requests", {
        origin: consoleUrl,
        "sec-fetch-site": "same-origin",
      });
      assert.equal(own.status, 200);
    });

    it("refuses to replay a request it does not keep", async () => {
      const reply = await postConsole(running.env.consoleUrl!, "/api/replay", {
        requestId: "nope",
      });
      assert.deepEqual(
        [reply.status, reply.json],
        [404, { message: "no such request is kept (the console keeps the last 300)" }],
      );
    });
  });

  describe("where the console listens", () => {
    const flags = startFlags;

    it("on loopback, even when the API listens on every interface", () => {
      const options = environmentOptions(flags({ host: "0.0.0.0" }), PROJECT_DIR);
      assert.deepEqual([options.host, options.console?.host], ["0.0.0.0", "127.0.0.1"]);
    });

    it("on every interface only when --console-host says so, and nowhere else", () => {
      const options = environmentOptions(flags({ "console-host": "::" }), PROJECT_DIR);
      assert.equal(options.console?.host, "::");
      assert.throws(() => environmentOptions(flags({ "console-host": "10.0.0.5" }), PROJECT_DIR), {
        message:
          "--console-host '10.0.0.5': expected a loopback address, or 0.0.0.0 or :: for every interface (the console shows requests and calls routes)",
      });
    });
  });
});
