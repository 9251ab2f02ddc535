import * as assert from "node:assert/strict";
import { connect } from "node:net";
import { AUDIENCE } from "../fixtures/fidelityFacts";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { idTokenClaims, NOW, signRsa, type TestKey } from "../support/tokens";

type Event = {
  routeKey: string;
  rawPath: string;
  headers: Record<string, string>;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  requestContext: { http: { path: string; sourceIp: string } };
};

/** Where the local HTTP API used to answer differently from AWS, over real sockets. */
describe("local API Gateway fidelity, second round (fixture program)", function () {
  let running: RunningEnv;
  let api: string;
  let key: TestKey;
  const echo = async (method: string, path: string, headers = {}, body?: string) =>
    JSON.parse((await send(api, method, path, headers, body)).body) as Event;

  before(async () => {
    running = await startTestEnvironment("wire-fidelity", {
      entry: "tests/fixtures/fidelityProgram.ts",
      clock: () => NOW * 1000,
    });
    api = running.env.apiEndpoint;
    key = await running.issuerKey();
  });
  after(() => running?.stop());

  describe("CORS", () => {
    it("lets a route that matches OPTIONS (here ANY /{proxy+}) take the preflight", async () => {
      // AWS answers a preflight itself only when no route takes it (anomalyco/sst#5493).
      const reply = await send(api, "OPTIONS", "/jwt", {
        origin: "http://localhost:5173",
        "access-control-request-method": "GET",
      });
      assert.equal(reply.status, 200);
      assert.equal(JSON.parse(reply.body).routeKey, "ANY /{proxy+}");
      assert.equal(reply.headers["access-control-allow-origin"], "http://localhost:5173");
    });

    it("drops the backend's CORS headers also when the request has no Origin", async () => {
      // The echo route sets access-control-allow-origin: *; CORS is configured, so it goes.
      const reply = await send(api, "GET", "/pets/dog/1");
      assert.equal(reply.status, 200);
      assert.equal(reply.headers["access-control-allow-origin"], undefined);
    });

    it("replaces the backend's CORS headers with the configured ones", async () => {
      const reply = await send(api, "GET", "/pets/dog/1", { origin: "http://localhost:5173" });
      assert.equal(reply.headers["access-control-allow-origin"], "http://localhost:5173");
      const other = await send(api, "GET", "/pets/dog/1", { origin: "https://evil.example" });
      assert.equal(other.headers["access-control-allow-origin"], undefined);
    });
  });

  it("sends a returned string as the body, without JSON's quotes", async () => {
    const reply = await send(api, "GET", "/string");
    assert.deepEqual(
      [reply.status, reply.headers["content-type"], reply.body],
      [200, "application/json", "Hello from Lambda!"],
    );
  });

  it("routes /x/ to the route for /x, keeping the slash in rawPath", async () => {
    const event = await echo("GET", "/pets/dog/1/");
    assert.deepEqual([event.routeKey, event.rawPath], ["GET /pets/dog/1", "/pets/dog/1/"]);
  });

  it("decodes the path in rawPath and http.path, and keeps path parameters decoded", async () => {
    const event = await echo("POST", "/a%2Fb%20c/caf%C3%A9");
    assert.equal(event.routeKey, "ANY /{proxy+}");
    assert.equal(event.rawPath, "/a/b c/café");
    assert.equal(event.requestContext.http.path, "/a/b c/café");
    assert.deepEqual(event.pathParameters, { proxy: "a/b c/café" });
  });

  it("reads + in the query string as a space, as AWS does", async () => {
    const event = await echo("GET", "/pets/dog/1?literalPlus=a+b&encodedPlus=a%2Bb");
    assert.deepEqual(event.queryStringParameters, { literalPlus: "a b", encodedPlus: "a+b" });
  });

  it("adds x-forwarded-*, x-amzn-trace-id and the body's content-length", async () => {
    const port = new URL(api).port;
    const event = await echo("POST", "/pets/x", { "content-type": "text/plain" }, "hello");
    assert.equal(event.headers["x-forwarded-for"], "127.0.0.1");
    assert.equal(event.headers["x-forwarded-port"], port);
    assert.equal(event.headers["x-forwarded-proto"], "http");
    assert.equal(event.headers["content-length"], "5");
    assert.match(event.headers["x-amzn-trace-id"]!, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it("hands every event the stage's variables", async () => {
    assert.deepEqual((await echo("GET", "/pets/dog/1")).stageVariables, { env: "fixture" });
  });

  for (const alg of ["RS384", "RS512"]) {
    it(`accepts a correctly signed ${alg} token`, async () => {
      const token = await signRsa(key, idTokenClaims({ aud: AUDIENCE }), alg);
      const reply = await send(api, "GET", "/jwt", { authorization: `Bearer ${token}` });
      assert.equal(reply.status, 200);
    });
  }

  it("refuses PS256, with golang-jwt's words", async () => {
    const token = await signRsa(key, idTokenClaims({ aud: AUDIENCE }), "PS256");
    const reply = await send(api, "GET", "/jwt", { authorization: `Bearer ${token}` });
    assert.equal(reply.status, 401);
    assert.match(String(reply.headers["www-authenticate"]), /signing method PS256 is invalid/);
  });

  it("sends the gateway's own answers without a content type", async () => {
    for (const [method, path, status] of [
      ["GET", "/jwt", 401],
      ["GET", "/throws", 500],
    ] as const) {
      const reply = await send(api, method, path);
      assert.equal(reply.status, status);
      assert.equal(reply.headers["content-type"], undefined, `${status}`);
      assert.match(String(reply.headers["apigw-requestid"]), /=$/);
    }
  });
});

describe("requests whose spelling AWS does not document (dev program)", function () {
  let running: RunningEnv;
  before(async () => {
    running = await startTestEnvironment("spelling-choices");
  });
  after(() => running?.stop());

  /** Raw bytes on a socket, for a method spelling Node's client would not send. */
  const raw = (request: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(running.env.apiEndpoint).port), "127.0.0.1", () =>
        socket.write(request),
      );
      let data = "";
      socket.on("data", (d) => (data += d));
      socket.on("close", () => resolve(data));
      socket.on("error", () => resolve(data));
    });

  it("matches no GET route for HEAD: 404", async () => {
    const reply = await send(running.env.apiEndpoint, "HEAD", "/public");
    assert.equal(reply.status, 404);
  });

  it("refuses a lowercase method as malformed HTTP: 400", async () => {
    const reply = await raw("get /public HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert.match(reply, /^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it("reads 'bearer' in lowercase as part of the token, and refuses it", async () => {
    const reply = await send(running.env.apiEndpoint, "GET", "/private", {
      authorization: "bearer abc.def.ghi",
    });
    assert.equal(reply.status, 401);
    assert.match(
      String(reply.headers["www-authenticate"]),
      /error_description="token is malformed"/,
    );
  });
});
