import * as assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt } from "jose";
import { AUTH0_PATHS } from "../../facts/auth0";
import type { LocalClient, LocalResourceServer } from "../../local/interpret/model";
import { createLocalIssuer } from "../../local/issuer/localIssuer";
import { createIssuerSecrets } from "../../local/issuer/signingKeys";

const API: LocalResourceServer = {
  identifier: "https://api.example/dev",
  name: "api",
  scopes: ["read:messages", "write:messages"],
  signingAlg: "RS256",
  userAccessPolicy: "require_client_grant",
  userGrants: {},
  clientGrants: { machine: ["read:messages"] },
};

/** A machine-to-machine application, as the program's smoke client declares one. */
const machine = (clientId: string): LocalClient => ({
  clientId,
  clientSecret: `${clientId}-secret-of-at-least-thirty-two-characters`,
  name: clientId,
  appType: "non_interactive",
  callbacks: [],
  logoutUrls: [],
  webOrigins: [],
  grantTypes: ["client_credentials"],
  tokenEndpointAuthMethod: "client_secret_post",
});

describe("the built-in issuer's client-credentials grant (machine-to-machine applications)", () => {
  let server: Server;
  let issuerUrl: string;

  before(async () => {
    const { handle } = createLocalIssuer({
      issuer: "https://tenant.example/",
      clients: [machine("machine"), machine("stranger")],
      resourceServers: [API],
      secrets: await createIssuerSecrets(),
      user: { username: "local-user", password: "pw" },
    });
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  /** Auth0's request: the API named `audience`, in the form body. */
  const requestToken = (clientId: string) =>
    fetch(`${issuerUrl}${AUTH0_PATHS.token}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: machine(clientId).clientSecret!,
        audience: API.identifier,
        scope: "read:messages write:messages",
      }),
    });

  it("issues a granted application a JWT for the API named by audience, with its grant's scopes only", async () => {
    const response = await requestToken("machine");
    assert.equal(response.status, 200);
    const body = (await response.json()) as { access_token: string; token_type: string };
    assert.equal(body.token_type, "Bearer");
    const claims = decodeJwt(body.access_token);
    assert.deepEqual(
      { iss: claims.iss, aud: claims.aud, scope: claims.scope, azp: claims.azp, gty: claims.gty },
      {
        iss: "https://tenant.example/",
        aud: API.identifier,
        scope: "read:messages",
        azp: "machine",
        gty: "client-credentials",
      },
    );
  });

  it("refuses an application without a client grant with access_denied", async () => {
    const response = await requestToken("stranger");
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: string };
    assert.equal(body.error, "access_denied");
  });
});
