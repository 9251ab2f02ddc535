import * as assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { createServer, type AddressInfo } from "node:net";
import { requestToken } from "../../local/login/tokenRequest";
import { latestRecord } from "../../local/state";
import {
  npmToken,
  tokenTool,
  REQUEST_ID,
  send,
  startTestEnvironment,
  type RunningEnv,
} from "../support/localEnv";

describe("the local environment running the program (stack dev)", function () {
  let running: RunningEnv;
  let api: string;

  before(async () => {
    running = await startTestEnvironment("walkthrough");
    api = running.env.apiEndpoint;
  });
  after(() => running?.stop());

  describe("the tutorial's walkthrough over real sockets", () => {
    it("GET /public answers Hello stranger!", async () => {
      const reply = await send(api, "GET", "/public");
      assert.equal(reply.status, 200);
      assert.equal(reply.body, "Hello stranger!");
      assert.equal(reply.headers["content-type"], "text/plain; charset=utf-8");
      assert.match(String(reply.headers["apigw-requestid"]), REQUEST_ID);
    });

    it("answers a browser's preflight itself when no route takes OPTIONS", async () => {
      const reply = await send(api, "OPTIONS", "/private", {
        origin: "http://localhost:5173",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      });
      assert.equal(reply.status, 204);
      assert.equal(reply.headers["access-control-allow-origin"], "http://localhost:5173");
      // The routes' methods, as the program derives them (infra/routes.ts corsAllowMethods).
      assert.equal(reply.headers["access-control-allow-methods"], "DELETE,GET,POST");
      assert.equal(reply.headers["access-control-allow-headers"], "authorization,content-type");
    });

    it("passes a browser's POST preflight for a route that takes POST, and no method no route takes", async () => {
      const preflight = (method: string) =>
        send(api, "OPTIONS", "/items", {
          origin: "http://localhost:5173",
          "access-control-request-method": method,
          "access-control-request-headers": "authorization,content-type",
        });
      const post = await preflight("POST");
      assert.equal(post.status, 204);
      assert.equal(post.headers["access-control-allow-origin"], "http://localhost:5173");
      assert.equal(post.headers["access-control-allow-methods"], "DELETE,GET,POST");
      const put = await preflight("PUT");
      assert.equal(put.status, 204);
      assert.equal(put.headers["access-control-allow-origin"], undefined);
    });

    it("GET /private without a token answers 401 as API Gateway does", async () => {
      const reply = await send(api, "GET", "/private");
      assert.deepEqual(reply, {
        status: 401,
        headers: {
          "www-authenticate": "Bearer",
          "content-length": "26",
          "apigw-requestid": reply.headers["apigw-requestid"],
        },
        body: '{"message":"Unauthorized"}',
      });
    });

    it("GET /private with an ID token from npm run token answers Hello <sub>!", async () => {
      const { stdout } = await npmToken(running.stateDir);
      const token = stdout.trim();
      assert.equal(stdout, `${token}\n`, "the token is alone on stdout");
      const claims = decodeJwt(token);
      assert.equal(claims.iss, "https://dev-example.us.auth0.com/");
      assert.equal(claims.aud, running.env.model().clients[0]!.clientId);
      const reply = await send(api, "GET", "/private", { authorization: `Bearer ${token}` });
      assert.equal(reply.status, 200);
      assert.equal(reply.body, "Hello local-user!");
    });

    it("accepts an access token for the API, for another user, without the Bearer prefix", async () => {
      const { stdout } = await tokenTool(running.stateDir, [
        "--sub",
        "auth0|alice",
        "--scope",
        "write:items",
      ]);
      const claims = decodeJwt(stdout.trim());
      assert.equal(claims.aud, "https://api-auth-jwt-auth0/dev");
      assert.equal(claims.scope, "write:items");
      // Auth0's access tokens name the application in azp.
      assert.equal(claims.azp, running.env.model().clients[0]!.clientId);
      const reply = await send(api, "GET", "/private", { authorization: stdout.trim() });
      assert.equal(reply.body, "Hello auth0|alice!");
    });

    it("says on stderr which asked-for scopes the API does not grant", async () => {
      const { stdout, stderr } = await tokenTool(running.stateDir, [
        "--scope",
        "write:items delete:everything",
      ]);
      assert.equal(decodeJwt(stdout.trim()).scope, "write:items");
      assert.match(
        stderr,
        /^npm run token: scope 'delete:everything' is not one the API https:\/\/api-auth-jwt-auth0\/dev grants this application; the token does not carry it$/m,
      );
    });

    it("issues a token with the lifetime asked for", async () => {
      const { stdout } = await tokenTool(running.stateDir, ["--expires-in", "120"]);
      const claims = decodeJwt(stdout.trim());
      assert.equal(claims.exp! - claims.iat!, 120);
    });

    it("ignores a lifetime past Auth0's 30 days: the token gets the default, and the issuer serves on", async () => {
      const source = latestRecord(running.stateDir)!;
      for (const expiresIn of [2_592_001, 1e21]) {
        const { token } = await requestToken(source, { access: false, expiresIn });
        const claims = decodeJwt(token);
        assert.equal(claims.exp! - claims.iat!, 36_000, String(expiresIn));
      }
      const { token } = await requestToken(source, { access: false, expiresIn: 2_592_000 });
      assert.equal(decodeJwt(token).exp! - decodeJwt(token).iat!, 2_592_000);
    });
  });

  it("answers an unknown route with 404 Not Found", async () => {
    const reply = await send(api, "GET", "/nope");
    assert.equal(reply.status, 404);
    assert.equal(reply.body, '{"message":"Not Found"}');
  });

  it("logs one line per request, never the token", async () => {
    const token = (await tokenTool(running.stateDir)).stdout.trim();
    await send(api, "GET", "/private", { authorization: `Bearer ${token}` });
    const line = running.logs
      .filter((l) => / GET \/private route=GET \/private status=200 /.test(l))
      .at(-1);
    assert.match(
      line!,
      /^\d\d:\d\d:\d\d\.\d{3} GET \/private route=GET \/private status=200 duration=\d+\.\dms authorizer=allow requestId=[\w-]{15}= integrationRequestId=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(
      running.logs.some((l) => l.includes(token.split(".")[2]!)),
      false,
    );
  });

  it("fails in one clear line when no running environment is on the port asked for", async () => {
    const port = await closedPort();
    await assert.rejects(
      tokenTool(running.stateDir, ["--issuer-port", String(port)]),
      (err: { stderr: string; code: number }) => {
        assert.equal(err.code, 1);
        assert.equal(
          err.stderr,
          `No running local environment matches --issuer-port ${port}; running: at ${running.env.apiEndpoint}, issuer ${running.env.issuerUrl} (stack dev, pid ${process.pid}).\n`,
        );
        return true;
      },
    );
  });
});

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
