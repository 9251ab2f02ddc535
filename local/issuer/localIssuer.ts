import type { IncomingMessage, ServerResponse } from "node:http";
import type * as OidcProvider from "oidc-provider";
import type { LocalClient, LocalResourceServer } from "../interpret/model";
import { userAccessScopes } from "./userAccess";
import { interactionHandler, send } from "./interactions";
import { errorPage } from "./pages";
import type { IssuerSecrets } from "./signingKeys";

export interface LocalUserSettings {
  /** Default username; any username signs in with the password, and becomes the `sub`. */
  username: string;
  password: string;
}

export interface LocalIssuerOptions {
  /** `https://<domain>/`: every token's `iss`, exactly as the authorizer expects it. */
  issuer: string;
  clients: LocalClient[];
  resourceServers: LocalResourceServer[];
  secrets: IssuerSecrets;
  user: LocalUserSettings;
  /**
   * Where the issuer is served (`http://127.0.0.1:4000`), once it listens. The URLs it publishes
   * (discovery, redirects) are built on it, never on a request's Host header, which any client
   * (or a DNS-rebinding page) chooses.
   */
  servedUrl?: () => string | undefined;
}

/**
 * Header the `npm run token` tool may send to the token endpoint to choose a token's lifetime.
 * A named, loopback-only extension: Auth0 has no such thing, and requests from any other address
 * ignore it.
 */
export const TOKEN_LIFETIME_HEADER = "x-local-token-lifetime";

/** Auth0's paths, instead of oidc-provider's defaults (`/auth`, `/token`, `/jwks`). */
export const AUTH0_ROUTES = {
  authorization: "/authorize",
  token: "/oauth/token",
  userinfo: "/userinfo",
  jwks: "/.well-known/jwks.json",
  end_session: "/oidc/logout",
  revocation: "/oauth/revoke",
} as const;

type ProviderModule = typeof OidcProvider;

/**
 * Two notices oidc-provider prints that do not apply here: "Unsupported runtime" (version 9 wants
 * Node 22; it runs and is tested here on 20.19+, as the README says) and the in-memory adapter
 * warning (sessions are meant to end with the process; tokens are signed JWTs and outlive it).
 */
const EXPECTED_NOTICES = ["Unsupported runtime", "in-memory adapter"];

function withoutExpectedNotices<T>(load: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!EXPECTED_NOTICES.some((notice) => String(args[0]).includes(notice))) warn(...args);
  };
  try {
    return load();
  } finally {
    console.warn = warn;
  }
}

/**
 * Loads oidc-provider 9 (ESM, through require on Node 20.19+): about half a second, which the
 * local environment spends while the program evaluates in its own process.
 */
export function loadOidcProvider(): ProviderModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return withoutExpectedNotices(() => require("oidc-provider") as ProviderModule);
}

const LOOPBACK_ADDRESSES = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * The built-in OpenID Connect issuer standing in for the Auth0 tenant, on oidc-provider. It knows
 * the applications and APIs the program declares: their client IDs, secrets, callback URLs and
 * grant types; access tokens for an API (`audience`, as Auth0 calls the resource) are RS256 JWTs.
 */
export function createLocalIssuer(options: LocalIssuerOptions) {
  const { Provider, errors } = loadOidcProvider();
  const clientsById = new Map(options.clients.map((c) => [c.clientId, c]));
  const lifetimeOverride = (
    ctx: { get?: (h: string) => string; req?: IncomingMessage } | undefined,
  ) => {
    const value = ctx?.get?.(TOKEN_LIFETIME_HEADER);
    if (!value || !LOOPBACK_ADDRESSES.has(ctx?.req?.socket.remoteAddress ?? "")) return undefined;
    const seconds = Number(value);
    return Number.isInteger(seconds) && seconds > 0 ? seconds : undefined;
  };

  const provider = withoutExpectedNotices(
    () =>
      new Provider(options.issuer, {
        clients: options.clients.map((c) => ({
          client_id: c.clientId,
          client_name: c.name,
          ...(c.clientSecret !== undefined ? { client_secret: c.clientSecret } : {}),
          redirect_uris: c.callbacks,
          post_logout_redirect_uris: c.logoutUrls,
          grant_types: c.grantTypes,
          response_types: ["code"],
          token_endpoint_auth_method: (c.clientSecret === undefined
            ? "none"
            : c.tokenEndpointAuthMethod) as OidcProvider.ClientAuthMethod,
          id_token_signed_response_alg: "RS256",
        })),
        jwks: { keys: [options.secrets.signingKey] as OidcProvider.JWK[] },
        cookies: { keys: options.secrets.cookieKeys },
        routes: AUTH0_ROUTES,
        scopes: ["openid", "profile", "email", "offline_access"],
        claims: {
          openid: ["sub"],
          profile: ["name", "nickname", "picture", "updated_at"],
          email: ["email", "email_verified"],
        },
        // Auth0 puts the profile claims in the ID token itself.
        conformIdTokenClaims: false,
        findAccount: (_ctx, sub) => ({
          accountId: sub,
          claims: () => ({
            sub,
            name: sub,
            nickname: sub,
            picture: "https://cdn.auth0.com/avatars/default.png",
            updated_at: "2026-01-01T00:00:00.000Z",
            email: `${sub.replace(/[^A-Za-z0-9._-]/g, "-")}@example.com`,
            email_verified: false,
          }),
        }),
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        features: {
          devInteractions: { enabled: false },
          revocation: { enabled: true },
          rpInitiatedLogout: { enabled: true },
          resourceIndicators: {
            enabled: true,
            // No audience requested: an opaque access token, as Auth0 issues.
            defaultResource: (_ctx, _client, oneOf) => oneOf ?? (undefined as unknown as string),
            useGrantedResource: () => true,
            getResourceServerInfo: (_ctx, indicator, client) => {
              const api = options.resourceServers.find((rs) => rs.identifier === indicator);
              if (api === undefined)
                throw new errors.InvalidTarget(`Service not found: ${indicator}`);
              const scopes = userAccessScopes(api, client.clientId);
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
          },
        },
        ttl: {
          AccessToken: (ctx, token) =>
            lifetimeOverride(ctx) ?? token.resourceServer?.accessTokenTTL ?? 86400,
          IdToken: (ctx, _token, client) =>
            lifetimeOverride(ctx) ??
            clientsById.get(client.clientId)?.idTokenLifetimeSeconds ??
            36000,
          AuthorizationCode: 60,
          Interaction: 3600,
          Grant: 14 * 24 * 3600,
          Session: 14 * 24 * 3600,
          RefreshToken: 30 * 24 * 3600,
        },
        clientBasedCORS: (_ctx, origin, client) =>
          clientsById.get(client.clientId)?.webOrigins.includes(origin) ?? false,
        renderError: (ctx, out) => {
          ctx.type = "html";
          ctx.body = errorPage(`${out.error}: ${out.error_description ?? ""}`);
        },
      }),
  );

  const providerCallback = provider.callback();

  const interaction = interactionHandler({ provider, errors, clientsById, user: options.user });
  /** The issuer's HTTP handler: the interaction pages, then everything else to oidc-provider. */
  function handle(req: IncomingMessage, res: ServerResponse): void {
    const served = options.servedUrl?.();
    if (served !== undefined) req.headers.host = new URL(served).host;
    const url = new URL(req.url ?? "/", "http://issuer.local");
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm))?$/.exec(url.pathname);
    if (match) {
      interaction(req, res, match[1]!, match[2] ?? "").catch((err: Error) => {
        if (!res.headersSent) send(res, 400, errorPage(err.message));
      });
      return;
    }
    // Auth0 names the API an access token is for `audience`; oidc-provider, like RFC 8707, `resource`.
    if (
      url.pathname === AUTH0_ROUTES.authorization &&
      url.searchParams.has("audience") &&
      !url.searchParams.has("resource")
    ) {
      url.searchParams.set("resource", url.searchParams.get("audience")!);
      url.searchParams.delete("audience");
      req.url = `${url.pathname}?${url.searchParams.toString()}`;
    }
    void providerCallback(req, res);
  }

  return { provider, handle };
}
