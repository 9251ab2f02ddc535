import * as assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { decodeJwt } from "jose";
import type { Inspection } from "../../local/console/consoleApi";
import type { ConsoleDeps } from "../../local/console/consoleServer";
import { handleToken } from "../../local/console/handlers";
import { postConsole } from "../support/consoleClient";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { liveIdTokenClaims, signRs256 } from "../support/tokens";

/** Every file under a folder, read as text. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [readFileSync(path, "latin1")];
  });
}

describe("the console's tokens", function () {
  let running: RunningEnv;
  let url: string;
  let api: string;
  const tokensSeen: string[] = [];

  before(async () => {
    running = await startTestEnvironment("console-tokens", {
      console: { host: "127.0.0.1", port: 0 },
    });
    url = running.env.consoleUrl!;
    api = running.env.apiEndpoint;
  });
  after(async () => {
    // No token the console handled is in the terminal log or in any file the environment wrote.
    const written = [...running.logs, ...filesUnder(running.stateDir)].join("\n");
    for (const token of tokensSeen) assert.equal(written.includes(token), false);
    await running?.stop();
  });

  it("gets an ID token for any username through the built-in issuer", async () => {
    const reply = await postConsole(url, "/api/token", { username: "alice", kind: "id" });
    assert.equal(reply.status, 200);
    const token = reply.json.token as string;
    tokensSeen.push(token);
    const claims = decodeJwt(token);
    assert.deepEqual(
      [claims.sub, claims.aud, claims.iss],
      ["alice", running.env.model().clients[0]!.clientId, "https://dev-example.us.auth0.com/"],
    );
    assert.deepEqual(reply.json.dropped, []);
    const answer = await send(api, "GET", "/private", { authorization: `Bearer ${token}` });
    assert.equal(answer.body, "Hello alice!");
  });

  it("gets an access token with the scopes the API grants, and says which it dropped", async () => {
    const reply = await postConsole(url, "/api/token", {
      username: "bob",
      kind: "access",
      scopes: ["write:items", "write:everything"],
    });
    assert.equal(reply.status, 200);
    tokensSeen.push(reply.json.token as string);
    const claims = decodeJwt(reply.json.token as string);
    assert.deepEqual([claims.sub, claims.aud], ["bob", "https://api-auth-jwt-auth0/dev"]);
    assert.deepEqual(String(claims.scope).split(" ").includes("write:items"), true);
    assert.deepEqual(reply.json.dropped, ["write:everything"]);
  });

  it("gives tokens to this machine only, unless the issuer listens on every interface", async () => {
    const source = {
      issuer: "https://i/",
      issuerUrl: "http://127.0.0.1:1",
      clients: [],
      apiIdentifiers: [],
      user: { username: "u", password: "p" },
    };
    const fromLan = { socket: { remoteAddress: "192.0.2.7" } } as unknown as IncomingMessage;
    const deps = (tokensForRemoteClients: boolean) =>
      ({ tokenSource: () => source, tokensForRemoteClients }) as unknown as ConsoleDeps;
    assert.deepEqual(await handleToken({ username: "a", kind: "id" }, fromLan, deps(false)), [
      403,
      {
        message:
          "tokens are handed to this machine only, as the built-in issuer signs in on loopback (see --issuer-host)",
      },
    ]);
    // Let through, it reaches the sign-in: here, an issuer that declares no application.
    assert.deepEqual(await handleToken({ username: "a", kind: "id" }, fromLan, deps(true)), [
      502,
      {
        message:
          "the built-in issuer did not give a token: The program declares no Auth0 application to sign in with.",
      },
    ]);
  });

  it("refuses a bad username, kind, audience or scope with the field's name", async () => {
    const cases: [unknown, string][] = [
      [{ username: "", kind: "id" }, "username: expected 1 to 256 characters on one line"],
      [{ username: "a\nb", kind: "id" }, "username: expected 1 to 256 characters on one line"],
      [{ username: "a", kind: "refresh" }, 'kind: expected "id" or "access"'],
      [
        { username: "a", kind: "access", audience: "https://other" },
        "audience: expected one of https://api-auth-jwt-auth0/dev",
      ],
      [
        { username: "a", kind: "access", scopes: ["a b"] },
        "scopes: expected a list of scope names",
      ],
    ];
    for (const [body, message] of cases) {
      const reply = await postConsole(url, "/api/token", body);
      assert.deepEqual([reply.status, reply.json], [400, { message }], JSON.stringify(body));
    }
  });

  it("says per route whether a token passes, by the authorizer's own rules", async () => {
    const key = await running.issuerKey();
    const clientId = running.env.model().clients[0]!.clientId;
    const good = await signRs256(key, liveIdTokenClaims({ aud: clientId, sub: "carol" }));
    const stranger = await signRs256(key, liveIdTokenClaims({ aud: "someone-else" }));
    const expired = await signRs256(
      key,
      liveIdTokenClaims({ aud: clientId, iat: 1_000, exp: 2_000 }),
    );
    tokensSeen.push(good, stranger, expired);
    // The verdicts on the two routes this test reads: /private, then /public (by path).
    const verdicts = async (token: string) =>
      (
        (await postConsole(url, "/api/inspect", { token })).json as unknown as Inspection
      ).routes.filter((r) => r.routeKey === "GET /private" || r.routeKey === "GET /public");
    const publicPasses = {
      routeKey: "GET /public",
      passes: true,
      reason: "public: no authorizer runs",
    };
    // Routes by path: /private, then /public.
    assert.deepEqual(await verdicts(`Bearer ${good}`), [
      { routeKey: "GET /private", passes: true, reason: "allowed" },
      publicPasses,
    ]);
    assert.deepEqual(await verdicts(stranger), [
      {
        routeKey: "GET /private",
        passes: false,
        status: 401,
        reason: "the token does not have a valid audience",
      },
      publicPasses,
    ]);
    assert.deepEqual((await verdicts(expired))[0]!.reason, "the token has expired");
    const inspection = (await postConsole(url, "/api/inspect", { token: good }))
      .json as unknown as Inspection;
    assert.deepEqual(inspection.header, { alg: "RS256", typ: "JWT", kid: key.kid });
    assert.equal(inspection.claims!.sub, "carol");
  });

  it("explains a malformed or oversized token instead of failing", async () => {
    const malformed = (await postConsole(url, "/api/inspect", { token: "not.a.jwt!" }))
      .json as unknown as Inspection;
    assert.match(malformed.error!, /^not a JWT: /);
    const onPrivate = (i: Inspection) => i.routes.find((r) => r.routeKey === "GET /private");
    assert.deepEqual(onPrivate(malformed), {
      routeKey: "GET /private",
      passes: false,
      status: 401,
      reason: "token is malformed",
    });
    const oversized = (
      await postConsole(url, "/api/inspect", { token: `a.${"b".repeat(11_000)}.c` })
    ).json as unknown as Inspection;
    assert.deepEqual(onPrivate(oversized), {
      routeKey: "GET /private",
      passes: false,
      status: 431,
      reason:
        "the token is longer than API Gateway reads: request line and headers are limited to 10240 bytes",
    });
  });
});
