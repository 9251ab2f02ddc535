import * as oauth from "oauth4webapi";
import { createServer, type Server } from "node:http";
import { escapeHtml, page } from "../issuer/pages";
import { isLoopbackHostname, LOOPBACK_HOSTNAMES } from "../loopback";
import { readCallback } from "./callback";

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

/**
 * The authorization code flow with PKCE (S256), `state` and `nonce`, on oauth4webapi: builds the
 * authorization URL, waits for the browser's redirect on the loopback callback, shows a small page,
 * and exchanges the code (client_secret_post for a regular web application). The redirect URI goes
 * to the token endpoint exactly as registered: a client that rebuilt it from the callback request
 * would send `http://localhost:5678/` for `http://localhost:5678`, which OAuth servers refuse.
 */
export async function login(
  target: LoginTarget,
  options: { onUrl: (url: string) => void; timeoutMs: number },
): Promise<LoginResult> {
  const as = await discover(target).catch((err: Error) => {
    throw new Error(`Cannot read the issuer's discovery document: ${reason(err)}`);
  });
  const client: oauth.Client = { client_id: target.clientId };
  const clientAuth =
    target.clientSecret !== undefined ? oauth.ClientSecretPost(target.clientSecret) : oauth.None();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();

  const authorizationUrl = new URL(as.authorization_endpoint!);
  authorizationUrl.search = new URLSearchParams({
    response_type: "code",
    client_id: target.clientId,
    redirect_uri: target.redirectUri,
    scope: "openid profile",
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...(target.audience !== undefined ? { audience: target.audience } : {}),
  }).toString();

  const responseUrl = await waitForRedirect(
    target.redirectUri,
    state,
    authorizationUrl.href,
    options,
  );
  const insecure = { [oauth.allowInsecureRequests]: isPlainLoopback(target) };
  try {
    const params = oauth.validateAuthResponse(as, client, responseUrl, state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      params,
      target.redirectUri,
      codeVerifier,
      insecure,
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
    if (err instanceof oauth.ResponseBodyError || err instanceof oauth.AuthorizationResponseError) {
      throw new Error(
        `Sign-in failed: the issuer answered ${err.error}${err.error_description ? `: ${err.error_description}` : ""}`,
      );
    }
    throw new Error(`Sign-in failed: ${(err as Error).message}`);
  }
}

/**
 * Plain http is accepted where `npm start` accepts it: the local issuer, and any issuer on a
 * loopback host (another instance's, a test tenant). Anywhere else, https only.
 */
function isPlainLoopback(target: LoginTarget): boolean {
  const url = new URL(target.discoveryBaseUrl ?? target.issuer);
  return url.protocol === "http:" && isLoopbackHostname(url.hostname);
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
      throw new Error(`${where.href}: ${reason(err as Error)}`);
    }
  }
  // The local issuer is served at another origin than its issuer string; its metadata is read
  // from where it is served (plain http, loopback only) and its `issuer` still checked.
  const url = new URL("/.well-known/openid-configuration", target.discoveryBaseUrl);
  const response = await fetch(url).catch((err: Error) => {
    throw new Error(`${url.href}: ${reason(err)}`);
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

/** Listens on the callback URL's port (loopback) until the browser comes back. */
export function waitForRedirect(
  redirectUri: string,
  state: string,
  authorizationUrl: string,
  options: { onUrl: (url: string) => void; timeoutMs: number },
): Promise<URL> {
  const redirect = new URL(redirectUri);
  if (redirect.protocol !== "http:" || !LOOPBACK_HOSTNAMES.has(redirect.hostname)) {
    throw new Error(
      `the callback URL ${redirectUri} is not a loopback http URL this tool can listen on`,
    );
  }
  const port = Number(redirect.port || 80);
  return new Promise<URL>((resolve, reject) => {
    const servers: Server[] = [];
    const finish = (err: Error | undefined, url?: URL) => {
      clearTimeout(timer);
      for (const s of servers) s.close();
      for (const s of servers) s.closeAllConnections();
      if (err) reject(err);
      else resolve(url!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `no sign-in within ${Math.round(options.timeoutMs / 1000)} s; run the command again`,
          ),
        ),
      options.timeoutMs,
    );
    const handler = (
      req: import("node:http").IncomingMessage,
      res: import("node:http").ServerResponse,
    ) => {
      const outcome = readCallback(req.url ?? "/", { redirectUri, state });
      if (outcome.kind === "ignore") {
        res.writeHead(404).end();
        return;
      }
      if (outcome.kind === "stray") {
        res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end(outcome.message);
        return;
      }
      const ok = outcome.kind === "response";
      res.writeHead(ok ? 200 : 400, {
        "content-type": "text/html; charset=utf-8",
        connection: "close",
      });
      res.end(
        ok
          ? page(
              "Signed in",
              "<h1>Signed in</h1><p>You may close this tab and return to the terminal.</p>",
              false,
            )
          : page(
              "Sign-in failed",
              `<h1>Sign-in failed</h1><p class="error" role="alert">${escapeHtml(outcome.message)}</p>`,
              false,
            ),
      );
      finish(
        ok
          ? undefined
          : new Error(`Sign-in failed: ${outcome.kind === "failure" ? outcome.message : ""}`),
        ok ? outcome.url : undefined,
      );
    };
    // "localhost" may resolve to either loopback address: listen on both.
    const hosts =
      redirect.hostname === "localhost"
        ? ["127.0.0.1", "::1"]
        : [redirect.hostname.replace(/^\[|\]$/g, "")];
    let listening = 0;
    for (const host of hosts) {
      const server = createServer(handler);
      servers.push(server);
      server.once("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "EADDRNOTAVAIL" || err.code === "EAFNOSUPPORT") return; // no IPv6 here
        finish(
          new Error(
            err.code === "EADDRINUSE"
              ? `port ${port} is in use: another sign-in may be waiting there`
              : err.message,
          ),
        );
      });
      server.listen(port, host, () => {
        if (++listening === 1) options.onUrl(authorizationUrl);
      });
    }
  });
}
