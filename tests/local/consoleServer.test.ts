import * as assert from "node:assert/strict";
import type { RequestEntry, StackState, StreamEvent } from "../../local/console/consoleApi";
import { openStream, postConsole } from "../support/consoleClient";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { waitFor } from "../support/waitFor";

const isRequest = (e: StreamEvent): e is Extract<StreamEvent, { kind: "request" }> =>
  e.kind === "request";

describe("the console's server", function () {
  let running: RunningEnv;
  let url: string;
  let api: string;

  before(async () => {
    running = await startTestEnvironment("console", {
      console: { host: "127.0.0.1", port: 0, streams: { maxStreams: 3, flushMs: 20 } },
    });
    url = running.env.consoleUrl!;
    api = running.env.apiEndpoint;
  });
  after(() => running?.stop());

  describe("the stack", () => {
    it("shows the routes, the authorizer and the Auth0 side as the gateway serves them", async () => {
      const reply = await send(url, "GET", "/api/stack");
      assert.equal(reply.status, 200);
      assert.equal(reply.headers["cache-control"], "no-store");
      const { version, view } = JSON.parse(reply.body) as StackState;
      const model = running.env.model();
      const clientId = model.clients[0]!.clientId;
      assert.equal(version, 1);
      assert.deepEqual(
        view.routes.map((r) => [r.routeKey, r.authorizationType, r.scopes, r.function?.name]),
        [
          // By path, then method: /items, /items/{id}, /private, /public.
          ["GET /items", "JWT", [], "api-auth-jwt-auth0-dev-get-items"],
          ["POST /items", "JWT", ["write:items"], "api-auth-jwt-auth0-dev-post-items"],
          ["DELETE /items/{id}", "JWT", ["write:items"], "api-auth-jwt-auth0-dev-delete-items-id"],
          ["GET /private", "JWT", [], "api-auth-jwt-auth0-dev-get-private"],
          ["GET /public", "NONE", [], "api-auth-jwt-auth0-dev-get-public"],
        ],
      );
      assert.deepEqual(view.routes.find((r) => r.routeKey === "GET /private")!.function, {
        name: "api-auth-jwt-auth0-dev-get-private",
        runtime: "nodejs22.x",
        architecture: "arm64",
        memoryMb: 128,
        timeoutSeconds: 10,
        handler: "__index.handler",
      });
      assert.deepEqual(view.routes[1]!.integration, {
        type: "AWS_PROXY",
        payloadFormatVersion: "2.0",
        timeoutMs: 30_000,
      });
      assert.deepEqual(view.authorizers[0]!.audiences, [
        clientId,
        "https://api-auth-jwt-auth0/dev",
      ]);
      assert.deepEqual(view.issuer, {
        issuer: "https://dev-example.us.auth0.com/",
        builtIn: true,
        servedAt: running.env.issuerUrl,
      });
      assert.deepEqual(view.applications, [
        {
          name: "api-auth-jwt-auth0-dev",
          clientId,
          appType: "regular_web",
          callbacks: ["http://localhost:5678"],
          // Who may sign in: dev's own connection, sign-up on, its test user.
          connection: {
            name: "api-auth-jwt-auth0-dev-users",
            signUp: true,
            users: ["test-user@example.com"],
          },
        },
        // npm run smoke's machine-to-machine application: no callback, no user.
        {
          name: "api-auth-jwt-auth0-dev-smoke",
          clientId: view.applications[1]!.clientId,
          appType: "non_interactive",
          callbacks: [],
        },
      ]);
      assert.deepEqual(view.apis, [
        {
          name: "api-auth-jwt-auth0-dev",
          identifier: "https://api-auth-jwt-auth0/dev",
          scopes: ["write:items"],
        },
      ]);
      assert.deepEqual(
        view.outputs.find((o) => o.name === "clientSecret"),
        { name: "clientSecret", secret: true },
      );
      assert.deepEqual(
        view.outputs.find((o) => o.name === "clientId"),
        {
          name: "clientId",
          secret: false,
          value: clientId,
        },
      );
      assert.equal(reply.body.includes(model.clients[0]!.clientSecret!), false);
    });
  });

  describe("bad input", () => {
    it("answers an unknown path 404 and a wrong method 405, in JSON", async () => {
      const missing = await send(url, "GET", "/api/nothing");
      assert.deepEqual(
        [missing.status, missing.body],
        [404, '{"message":"no such page: /api/nothing"}'],
      );
      const wrong = await send(url, "POST", "/api/stack");
      assert.deepEqual([wrong.status, wrong.headers.allow], [405, "GET, HEAD"]);
      const get = await send(url, "GET", "/api/token");
      assert.deepEqual([get.status, get.body], [405, '{"message":"/api/token takes POST"}']);
    });

    it("refuses a host name other than localhost or an address (DNS rebinding), or a malformed Host", async () => {
      for (const host of [
        "console.evil.example",
        "[127.0.0.1x",
        "localhost:evil",
        "127.0.0.1.nip.io",
      ]) {
        const reply = await send(url, "GET", "/api/stack", { host });
        assert.deepEqual(
          [reply.status, reply.body],
          [403, '{"message":"the console answers on an IP address or localhost only"}'],
          host,
        );
      }
      assert.equal((await send(url, "GET", "/api/stack", { host: "localhost:1" })).status, 200);
    });

    it("refuses a body that is not a JSON object, not JSON, or too large", async () => {
      const form = await send(
        url,
        "POST",
        "/api/inspect",
        {
          "content-type": "application/x-www-form-urlencoded",
        },
        "token=x",
      );
      assert.deepEqual(
        [form.status, form.body],
        [415, '{"message":"expected a JSON body (content-type: application/json)"}'],
      );
      const notJson = await postConsole(url, "/api/inspect", "{token:");
      assert.deepEqual([notJson.status, notJson.json], [400, { message: "the body is not JSON" }]);
      const array = await postConsole(url, "/api/inspect", "[]");
      assert.deepEqual([array.status, array.json], [400, { message: "expected a JSON object" }]);
      const huge = await postConsole(url, "/api/inspect", { token: "a".repeat(70_000) });
      assert.deepEqual(
        [huge.status, huge.json],
        [413, { message: "the body is larger than 65536 bytes" }],
      );
      const none = await postConsole(url, "/api/inspect", { token: 42 });
      assert.deepEqual(
        [none.status, none.json],
        [400, { message: "token: expected the token's text" }],
      );
    });
  });

  describe("try a route", () => {
    it("calls the API and gives the whole answer and the curl line", async () => {
      const reply = await postConsole(url, "/api/try", { method: "GET", path: "/public" });
      assert.equal(reply.status, 200);
      const answer = reply.json as { status: number; headers: [string, string][]; body: string };
      assert.deepEqual([answer.status, answer.body], [200, "Hello stranger!"]);
      assert.deepEqual(
        answer.headers.filter(([name]) => name === "content-type"),
        [["content-type", "text/plain; charset=utf-8"]],
      );
      assert.equal(reply.json.curl, `curl -i '${api}/public'`);
      assert.equal(reply.json.truncated, false);
      assert.equal(typeof reply.json.latencyMs, "number");
    });

    it("sends the token when given, and quotes it for the shell", async () => {
      const reply = await postConsole(url, "/api/try", {
        method: "DELETE",
        path: "/it's",
        token: "Bearer abc",
      });
      assert.equal((reply.json as { status: number }).status, 404);
      assert.equal(
        reply.json.curl,
        `curl -i -X DELETE -H 'Authorization: Bearer abc' '${api}/it'\\''s'`,
      );
    });

    it("refuses a method or a path it cannot send", async () => {
      const method = await postConsole(url, "/api/try", { method: "get me", path: "/" });
      assert.deepEqual(
        [method.status, method.json],
        [400, { message: "method: expected an HTTP method in capitals, such as GET" }],
      );
      const path = await postConsole(url, "/api/try", { method: "GET", path: "public" });
      assert.deepEqual(
        [path.status, path.json],
        [400, { message: "path: expected a path from / without spaces, such as /private" }],
      );
    });
  });

  describe("the event stream", () => {
    it("starts with everything kept, then sends each request as answered, never its token", async () => {
      const stream = await openStream(url);
      try {
        assert.equal(stream.status, 200);
        const hello = await stream.next(
          "hello",
          (e): e is Extract<StreamEvent, { kind: "hello" }> => e.kind === "hello",
        );
        assert.equal(hello.stack.version, 1);
        const answer = await send(api, "GET", "/public?token=query-token", {
          authorization: "Bearer header-token",
        });
        const requestId = answer.headers["apigw-requestid"] as string;
        const event = await stream.next(
          "the request",
          (e): e is Extract<StreamEvent, { kind: "request" }> =>
            isRequest(e) && e.entry.requestId === requestId,
        );
        const { receivedAt, latencyMs, integrationRequestId, logs, ...entry } = event.entry;
        assert.deepEqual(entry, {
          requestId,
          method: "GET",
          path: "/public",
          routeKey: "GET /public",
          status: 200,
          authorizer: "public",
          droppedLines: 0,
        });
        // Lambda's own request ID, not API Gateway's; the platform's records name it.
        assert.match(
          integrationRequestId!,
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        assert.deepEqual(
          logs.map((l) => l.readable?.split("\t")[0]),
          [
            `START RequestId: ${integrationRequestId} Version: $LATEST`,
            `REPORT RequestId: ${integrationRequestId}`,
          ],
        );
        assert.equal(Math.abs(receivedAt - Date.now()) < 60_000, true);
        assert.equal(latencyMs > 0, true);
        assert.equal(/query-token|header-token/.test(stream.text()), false);
        // And kept: the list a reloaded page starts from has it.
        const kept = JSON.parse((await send(url, "GET", "/api/requests")).body) as RequestEntry[];
        assert.equal(
          kept.some((r) => r.requestId === requestId),
          true,
        );
      } finally {
        stream.close();
      }
    });

    it("never locks a page out: past its bound it closes the oldest stream for the new one", async () => {
      const streams = [await openStream(url), await openStream(url), await openStream(url)];
      const fourth = await openStream(url);
      assert.equal(fourth.status, 200);
      await waitFor("the oldest stream ended", () => streams[0]!.ended() || undefined);
      assert.deepEqual(
        streams.map((s) => s.ended()),
        [true, false, false],
      );
      await fourth.next("its hello", (e): e is StreamEvent => e.kind === "hello");
      for (const s of [...streams, fourth]) s.close();
    });
  });
});
