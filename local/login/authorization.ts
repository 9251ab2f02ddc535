/**
 * The authorization code flow with PKCE (S256), `state` and `nonce`, on oauth4webapi, up to the
 * point where a browser (or a script acting as one) takes the authorization URL, and from the
 * point where the redirect comes back: discovery, the URL, the code exchange, the checks.
 */
import * as oauth from "oauth4webapi";
import { isLoopbackHost } from "../../facts/loopback";

export interface LoginTarget {
  /** The issuer string tokens carry (`https://<tenant>/`). */
  issuer: string;
  /** Where to read discovery from, when the issuer is served elsewhere (the local issuer). */
  discoveryBaseUrl?: string;
  clientId: string;
  clientSecret?: string;
  /** The exact callback URL the application registers, e.g. `http://localhost:5678`. */
  redirectUri: string;
  /** The API's identifier: requested as `audience` so the access token is a JWT. */
  audience?: string;
}

export interface LoginResult {
  idToken: string;
  accessToken: string;
  expiresIn: number | undefined;
}

export interface Authorization {
  /** Where the user signs in. */
  url: string;
  /** The `state` the redirect must carry back. */
  state: string;
  /**
   * Checks the redirect the issuer sent the browser to, and exchanges its code. The redirect URI
   * goes to the token endpoint exactly as registered: a client that rebuilt it from the callback
   * request would send `http://localhost:5678/` for `http://localhost:5678`, which OAuth servers
   * refuse. `headers` go to the token endpoint.
   */
  finish(redirect: URL, headers?: Record<string, string>): Promise<LoginResult>;
}

/** Starts a sign-in: reads the issuer's metadata and builds the authorization URL. */
export async function beginAuthorization(
  target: LoginTarget,
  extraScopes: readonly string[] = [],
): Promise<Authorization> {
  const as = await discover(target).catch((err: Error) => {
    // The message already names the URL and the system's reason.
    throw new Error(`Cannot read the issuer's discovery document: ${err.message}`, {
      cause: (err as { cause?: unknown }).cause,
    });
  });
  const client: oauth.Client = { client_id: target.clientId };
  const clientAuth =
    target.clientSecret !== undefined ? oauth.ClientSecretPost(target.clientSecret) : oauth.None();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();

  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: target.clientId,
    redirect_uri: target.redirectUri,
    scope: ["openid", "profile", ...extraScopes].join(" "),
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...(target.audience !== undefined ? { audience: target.audience } : {}),
  }).toString();

  const finish = async (redirect: URL, headers?: Record<string, string>) => {
    try {
      const params = oauth.validateAuthResponse(as, client, redirect, state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth,
        params,
        target.redirectUri,
        codeVerifier,
        {
          [oauth.allowInsecureRequests]: isPlainLoopback(target),
          ...(headers !== undefined ? { headers } : {}),
        },
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: nonce,
        requireIdToken: true,
      });
      return {
        idToken: tokens.id_token!,
        accessToken: tokens.access_token,
        expiresIn: tokens.expires_in,
      };
    } catch (err) {
      throw signInError(err);
    }
  };
  return { url: url.href, state, finish };
}

/** A failed sign-in in the user's words: the issuer's error and description when it gave them. */
function signInError(err: unknown): Error {
  if (err instanceof oauth.ResponseBodyError || err instanceof oauth.AuthorizationResponseError) {
    const description = err.error_description ? `: ${err.error_description}` : "";
    return new Error(`Sign-in failed: the issuer answered ${err.error}${description}`);
  }
  return new Error(`Sign-in failed: ${(err as Error).message}`);
}

/**
 * Plain http is accepted where `npm start` accepts it: the local issuer, and any issuer on a
 * loopback host (another instance's, a test tenant). Anywhere else, https only.
 */
function isPlainLoopback(target: LoginTarget): boolean {
  const url = new URL(target.discoveryBaseUrl ?? target.issuer);
  return url.protocol === "http:" && isLoopbackHost(url.hostname);
}

/** A fetch failure in the user's words: the URL and the system's reason (`ECONNREFUSED`...). */
function reason(err: Error): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return detail !== undefined ? `${err.message} (${detail})` : err.message;
}

/** The issuer's metadata: discovery at the issuer, or where the local issuer is served. */
async function discover(target: LoginTarget): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(target.issuer);
  const where = new URL(".well-known/openid-configuration", target.issuer.replace(/\/?$/, "/"));
  if (target.discoveryBaseUrl === undefined) {
    try {
      const insecure = { [oauth.allowInsecureRequests]: isPlainLoopback(target) };
      return await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, insecure),
      );
    } catch (err) {
      throw new Error(`${where.href}: ${reason(err as Error)}`, { cause: (err as Error).cause });
    }
  }
  // The local issuer is served at another origin than its issuer string; its metadata is read
  // from where it is served (plain http, loopback only) and its `issuer` still checked.
  const url = new URL("/.well-known/openid-configuration", target.discoveryBaseUrl);
  const response = await fetch(url).catch((err: Error) => {
    throw new Error(`${url.href}: ${reason(err)}`, { cause: err.cause });
  });
  if (!response.ok) throw new Error(`the issuer's discovery answered ${response.status}`);
  const as = (await response.json()) as oauth.AuthorizationServer;
  if (as.issuer !== target.issuer) {
    throw new Error(
      `the issuer at ${target.discoveryBaseUrl} is ${as.issuer}, not ${target.issuer}`,
    );
  }
  return as;
}
