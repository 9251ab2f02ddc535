import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { issuerFor } from "../facts/auth0";
import { loginUrl } from "./loginUrl";

export interface IdentityArgs {
  /** The Auth0 tenant's host name (`auth0:domain`). */
  domain: string;
  /** Physical name of the application and the API in the Auth0 dashboard. */
  name: string;
  /** Allowed callback URLs, kept as exact strings; the first is the login URL's redirect URI. */
  callbackUrls: string[];
  allowedLogoutUrls: string[];
  webOrigins: string[];
  /** The API's identifier: the `aud` of its access tokens. */
  apiIdentifier: string;
  /** Scopes the API defines; routes may require them. */
  apiScopes: string[];
  /** The connection the login URL names: the stack's own users' (`connectionNameFor`). */
  loginConnection: string;
}

/**
 * The Auth0 side: the application users sign in to (what the tutorial made by hand in the
 * dashboard) and the API whose access tokens the HTTP API accepts.
 */
export class Identity extends pulumi.ComponentResource {
  /** `https://<domain>/`: the `iss` of every token the tenant signs. */
  readonly issuer: string;
  readonly clientId: pulumi.Output<string>;
  /** Every Auth0 application this component creates. */
  readonly applications: auth0.Client[];
  /** The application's client secret; a Pulumi secret. */
  readonly clientSecret: pulumi.Output<string>;
  readonly apiIdentifier: pulumi.Output<string>;
  /** The API's scopes, once defined: a client grant waits for them. */
  readonly apiScopes: pulumi.Resource;
  /** The tenant's `/authorize` URL for this application and its first callback URL. */
  readonly loginUrl: pulumi.Output<string>;

  constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("api-auth-jwt-auth0:identity:Identity", name, {}, opts);
    const parent = { parent: this };
    this.issuer = issuerFor(args.domain);

    const { app, credentials } = application(name, args, parent);
    const { api, apiScopes } = resourceServer(name, args, parent);
    // This stack's own application, and only it, may get user access tokens for the API, with
    // the API's scopes (which must exist first).
    new auth0.ClientGrant(
      `${name}-app-grant`,
      {
        clientId: app.clientId,
        audience: api.identifier,
        subjectType: "user",
        scopes: args.apiScopes,
      },
      { parent: this, dependsOn: [apiScopes] },
    );

    this.clientId = app.clientId;
    this.applications = [app];
    this.apiScopes = apiScopes;
    this.clientSecret = pulumi.secret(credentials.clientSecret);
    this.apiIdentifier = api.identifier;
    this.loginUrl = app.clientId.apply((clientId) =>
      loginUrl({
        issuer: this.issuer,
        clientId,
        redirectUri: args.callbackUrls[0]!,
        connection: args.loginConnection,
      }),
    );
    this.registerOutputs({
      issuer: this.issuer,
      clientId: this.clientId,
      apiIdentifier: this.apiIdentifier,
      loginUrl: this.loginUrl,
    });
  }
}

/** The Auth0 application users sign in to, and its credentials (its client secret). */
function application(name: string, args: IdentityArgs, parent: pulumi.CustomResourceOptions) {
  const app = new auth0.Client(
    `${name}-app`,
    {
      name: args.name,
      description: "Signs users in to the HTTP API; managed by Pulumi.",
      appType: "regular_web",
      oidcConformant: true,
      grantTypes: ["authorization_code", "refresh_token"],
      callbacks: args.callbackUrls,
      allowedLogoutUrls: args.allowedLogoutUrls,
      webOrigins: args.webOrigins,
      // API Gateway's JWT authorizer verifies RSA signatures only.
      jwtConfiguration: { alg: "RS256", lifetimeInSeconds: 36000 },
      refreshToken: {
        rotationType: "rotating",
        expirationType: "expiring",
        leeway: 0,
        tokenLifetime: 2592000,
        idleTokenLifetime: 1296000,
        infiniteTokenLifetime: false,
        infiniteIdleTokenLifetime: false,
      },
    },
    parent,
  );
  const credentials = new auth0.ClientCredentials(
    `${name}-app-credentials`,
    { clientId: app.clientId, authenticationMethod: "client_secret_post" },
    parent,
  );

  return { app, credentials };
}

/** The Auth0 API (resource server) access tokens are for, and its scopes. */
function resourceServer(name: string, args: IdentityArgs, parent: pulumi.CustomResourceOptions) {
  const api = new auth0.ResourceServer(
    `${name}-api`,
    {
      name: args.name,
      identifier: args.apiIdentifier,
      signingAlg: "RS256",
      tokenDialect: "access_token",
      allowOfflineAccess: true,
      skipConsentForVerifiableFirstPartyClients: true,
      tokenLifetime: 86400,
      // Auth0's default lets every application in the tenant get user access tokens for a new
      // API: with dev and prod in one tenant, dev's application could mint tokens that prod's
      // authorizer accepts. Only applications with a client grant may (the Management API's
      // values, snake_case: the provider's doc comments show them camelCased, which Auth0
      // refuses). Machine-to-machine flows need a grant too, and this stack creates none.
      subjectTypeAuthorization: {
        user: { policy: "require_client_grant" },
        client: { policy: "require_client_grant" },
      },
    },
    parent,
  );
  const apiScopes = new auth0.ResourceServerScopes(
    `${name}-api-scopes`,
    {
      resourceServerIdentifier: api.identifier,
      scopes: args.apiScopes.map((scope) => ({ name: scope, description: `Grants ${scope}` })),
    },
    parent,
  );
  return { api, apiScopes };
}
