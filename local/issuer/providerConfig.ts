/**
 * The built-in issuer's oidc-provider configuration, as a pure function of what the program
 * declares (its applications and APIs) and the issuer's keys: Auth0's paths, claims, lifetimes
 * and access rules. `localIssuer.ts` serves it.
 */
import type { IncomingMessage } from "node:http";
import type * as OidcProvider from "oidc-provider";
import { AUTH0_PATHS, loginCallback } from "../../facts/auth0";
import type { LocalClient, LocalResourceServer } from "../interpret/model";
import { isLoopbackHost } from "../../facts/loopback";
import { errorPage } from "./pages";
import type { IssuerSecrets } from "./signingKeys";
import { userAccessScopes } from "./userAccess";

/**
 * Header the `npm run token` tool may send to the token endpoint to choose a token's lifetime.
 * A named, loopback-only extension: Auth0 has no such thing, and requests from any other address
 * ignore it.
 */
export const TOKEN_LIFETIME_HEADER = "x-local-token-lifetime";

/**
 * The longest lifetime the header may ask for: 30 days, the most Auth0 lets an API's access
 * tokens live ("Maximum value is 2,592,000 seconds", AUTH0-AT-LIFETIME). Past it the
 * header is ignored: a 130-year token served no one, and 1e21 broke the token endpoint.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 2_592_000;

/** What the issuer knows of the program. */
export interface IssuerModel {
  clients: readonly LocalClient[];
  resourceServers: readonly LocalResourceServer[];
}

type LifetimeContext = { get?: (h: string) => string; req?: IncomingMessage } | undefined;

/** The lifetime a loopback client asked for with `TOKEN_LIFETIME_HEADER`, if any. */
function lifetimeOverride(ctx: LifetimeContext): number | undefined {
  const value = ctx?.get?.(TOKEN_LIFETIME_HEADER);
  if (!value || !isLoopbackHost(ctx?.req?.socket.remoteAddress ?? "")) return undefined;
  const seconds = Number(value);
  return Number.isInteger(seconds) && seconds > 0 && seconds <= MAX_TOKEN_LIFETIME_SECONDS
    ? seconds
    : undefined;
}

export function providerConfiguration(
  model: IssuerModel,
  secrets: IssuerSecrets,
  errors: typeof OidcProvider.errors,
): OidcProvider.Configuration {
  const clientsById = new Map(model.clients.map((c) => [c.clientId, c]));
  return {
    clients: model.clients.map(clientMetadata),
    jwks: { keys: [secrets.signingKey] as OidcProvider.JWK[] },
    cookies: { keys: secrets.cookieKeys },
    routes: AUTH0_PATHS,
    scopes: ["openid", "profile", "email", "offline_access"],
    claims: {
      openid: ["sub"],
      profile: ["name", "nickname", "picture", "updated_at"],
      email: ["email", "email_verified"],
    },
    // Auth0 puts the profile claims in the ID token itself.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => profileOf(sub) }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: resourceIndicators(model, errors),
      // Machine-to-machine applications (grant type client_credentials), as Auth0 serves them.
      clientCredentials: { enabled: true },
    },
    ttl: {
      AccessToken: (ctx, token) =>
        lifetimeOverride(ctx) ?? token.resourceServer?.accessTokenTTL ?? 86400,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 86400,
      IdToken: (ctx, _token, client) =>
        lifetimeOverride(ctx) ?? clientsById.get(client.clientId)?.idTokenLifetimeSeconds ?? 36000,
      AuthorizationCode: 60,
      Interaction: 3600,
      Grant: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
      RefreshToken: 30 * 24 * 3600,
    },
    // Auth0's access tokens name the application they were issued to in `azp` (OBS:
    // awsdocs/amazon-api-gateway-developer-guide#113 lists aud, azp, exp, gty, iat, iss, scope,
    // sub); oidc-provider writes `client_id`, which stays.
    // A client-credentials token also says so (`gty`). Its `sub` stays oidc-provider's, the
    // client ID, where Auth0 writes `<client ID>@clients` (docs/local-environment.md).
    extraTokenClaims: (_ctx, token) => {
      if (token.kind === "AccessToken") return { azp: token.clientId };
      if (token.kind === "ClientCredentials") {
        return { azp: token.clientId, gty: "client-credentials" };
      }
      return undefined;
    },
    clientBasedCORS: (_ctx, origin, client) =>
      clientsById.get(client.clientId)?.webOrigins.includes(origin) ?? false,
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = errorPage(`${out.error}: ${out.error_description ?? ""}`);
    },
  };
}

/**
 * An application's callbacks, and `npm run login`'s loopback one where it declares none (a prod
 * stack's are its web app's): locally only, so that the CLI signs in to any stack; Auth0 accepts
 * only the declared ones (docs/local-environment.md).
 */
function withLoginCallback(callbacks: string[]): string[] {
  const login = loginCallback(callbacks);
  return login.declared ? callbacks : [...callbacks, login.url];
}

/** An application the program declares, as oidc-provider registers a client. */
function clientMetadata(c: LocalClient): OidcProvider.ClientMetadata {
  // A machine-to-machine application signs no user in: no redirect, no response type.
  const signsUsersIn = c.grantTypes.includes("authorization_code");
  return {
    client_id: c.clientId,
    client_name: c.name,
    ...(c.clientSecret !== undefined ? { client_secret: c.clientSecret } : {}),
    redirect_uris: signsUsersIn ? withLoginCallback(c.callbacks) : [],
    post_logout_redirect_uris: c.logoutUrls,
    grant_types: c.grantTypes,
    response_types: signsUsersIn ? ["code"] : [],
    token_endpoint_auth_method: (c.clientSecret === undefined
      ? "none"
      : c.tokenEndpointAuthMethod) as OidcProvider.ClientAuthMethod,
    id_token_signed_response_alg: "RS256",
  };
}

/** The claims of any username, in the shape of an Auth0 database user's profile. */
function profileOf(sub: string) {
  return {
    sub,
    name: sub,
    nickname: sub,
    picture: "https://cdn.auth0.com/avatars/default.png",
    updated_at: "2026-01-01T00:00:00.000Z",
    email: `${sub.replace(/[^A-Za-z0-9._-]/g, "-")}@example.com`,
    email_verified: false,
  };
}

/**
 * The APIs the program declares, as resource indicators (Auth0's `audience`): JWT access tokens
 * with the scopes the API's user access policy and client grants allow.
 */
function resourceIndicators(
  model: IssuerModel,
  errors: typeof OidcProvider.errors,
): NonNullable<OidcProvider.Configuration["features"]>["resourceIndicators"] {
  return {
    enabled: true,
    // No audience requested: an opaque access token, as Auth0 issues. At the token endpoint, a
    // client-credentials request names it `audience` (the authorization endpoint's is translated
    // to `resource` before oidc-provider reads it).
    defaultResource: (ctx, _client, oneOf) =>
      oneOf ?? (ctx.oidc.body?.audience as string | undefined) ?? (undefined as unknown as string),
    useGrantedResource: () => true,
    getResourceServerInfo: (ctx, indicator, client) => {
      const api = model.resourceServers.find((rs) => rs.identifier === indicator);
      if (api === undefined) throw new errors.InvalidTarget(`Service not found: ${indicator}`);
      const scopes =
        ctx.oidc.params?.grant_type === "client_credentials"
          ? api.clientGrants[client.clientId]
          : userAccessScopes(api, client.clientId);
      // Auth0's wording for this refusal is not documented; this one names the fix.
      if (scopes === undefined) {
        throw new errors.AccessDenied(
          `Client '${client.clientId}' is not authorized to access '${indicator}': the API requires a client grant (user access policy ${api.userAccessPolicy}).`,
        );
      }
      return {
        scope: scopes.join(" "),
        audience: api.identifier,
        ...(api.tokenLifetimeSeconds !== undefined
          ? { accessTokenTTL: api.tokenLifetimeSeconds }
          : {}),
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "RS256" } },
      };
    },
  };
}
