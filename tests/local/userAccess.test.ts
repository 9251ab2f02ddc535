import * as assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt } from "jose";
import type { LocalClient, LocalResourceServer } from "../../local/interpret/model";
import { createLocalIssuer } from "../../local/issuer/localIssuer";
import { scriptedSignIn } from "../../local/login/scriptedSignIn";
import { createIssuerSecrets } from "../../local/issuer/signingKeys";
import { userAccessScopes } from "../../local/issuer/userAccess";

const API: LocalResourceServer = {
  identifier: "https://api.example/dev",
  name: "api",
  scopes: ["read:messages", "write:messages"],
  signingAlg: "RS256",
  userAccessPolicy: "require_client_grant",
  userGrants: { granted: ["read:messages"] },
  clientGrants: {},
};

describe("who may get a user access token for an API (Auth0's API access policy)", () => {
  describe("the rule", () => {
    it("gives any application every scope under allow_all", () => {
      assert.deepEqual(userAccessScopes({ ...API, userAccessPolicy: "allow_all" }, "other"), [
        "read:messages",
        "write:messages",
      ]);
    });

    it("gives a granted application only its grant's scopes under require_client_grant", () => {
      assert.deepEqual(userAccessScopes(API, "granted"), ["read:messages"]);
    });

    it("gives an application without a grant nothing under require_client_grant", () => {
      assert.equal(userAccessScopes(API, "other"), undefined);
    });

    it("gives nobody anything under deny_all", () => {
      assert.equal(
        userAccessScopes({ ...API, userAccessPolicy: "deny_all" }, "granted"),
        undefined,
      );
    });
  });

  describe("the built-in issuer, over sockets", () => {
    const client = (clientId: string): LocalClient => ({
      clientId,
      clientSecret: `${clientId}-secret-of-at-least-thirty-two-characters`,
      name: clientId,
      appType: "regular_web",
      callbacks: ["http://localhost:5678"],
      logoutUrls: [],
      webOrigins: [],
      grantTypes: ["authorization_code", "refresh_token"],
      tokenEndpointAuthMethod: "client_secret_post",
    });
    let server: Server;
    let issuerUrl: string;

    before(async () => {
      const { handle } = createLocalIssuer({
        issuer: "https://tenant.example/",
        clients: [client("granted"), client("other")],
        resourceServers: [API],
        secrets: await createIssuerSecrets(),
        user: { username: "local-user", password: "pw" },
      });
      server = createServer(handle);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    const signIn = (clientId: string, secret = client(clientId).clientSecret) =>
      scriptedSignIn(
        {
          issuer: "https://tenant.example/",
          discoveryBaseUrl: issuerUrl,
          clientId,
          ...(secret !== undefined ? { clientSecret: secret } : {}),
          redirectUri: "http://localhost:5678",
          audience: API.identifier,
        },
        { username: "alice", password: "pw", scopes: ["read:messages", "write:messages"] },
      );

    it("issues the granted application an access token with its grant's scopes only", async () => {
      const claims = decodeJwt((await signIn("granted")).accessToken);
      assert.equal(claims.aud, API.identifier);
      assert.equal(claims.sub, "alice");
      assert.equal(claims.scope, "read:messages");
    });

    it("refuses the application without a grant with access_denied", async () => {
      await assert.rejects(
        signIn("other"),
        /access_denied.*not authorized to access 'https:\/\/api\.example\/dev'/,
      );
    });
  });
});
