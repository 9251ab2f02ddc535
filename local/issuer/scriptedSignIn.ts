import { randomBytes } from "node:crypto";
import { TOKEN_LIFETIME_HEADER } from "./localIssuer";

export interface ScriptedSignInOptions {
  /** Where the built-in issuer is served, e.g. `http://127.0.0.1:4000`. */
  issuerUrl: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  username: string;
  password: string;
  /** Auth0's `audience`: ask for a JWT access token for this API. */
  audience?: string;
  /** Extra scopes beyond `openid profile`. */
  scopes?: string[];
  /** Seconds; sent as the issuer's loopback-only lifetime extension. */
  expiresIn?: number;
}

export interface TokenSet {
  id_token: string;
  access_token: string;
  expires_in: number;
  scope?: string;
}

/**
 * Signs in to the built-in issuer through its own authorization code flow, as a browser would:
 * `/authorize`, the login form, the consent form, the redirect carrying the code (read from the
 * `Location` header; nothing needs to listen on the callback URL), then `/oauth/token`.
 */
export async function scriptedSignIn(options: ScriptedSignInOptions): Promise<TokenSet> {
  const cookies = new Map<string, string>();
  const request = async (
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ) => {
    const response = await fetch(url, {
      method: init.method ?? "GET",
      redirect: "manual",
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(init.form !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(init.form !== undefined ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(";");
      const eq = pair!.indexOf("=");
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return response;
  };
  const resolveUrl = (location: string) => new URL(location, options.issuerUrl).href;
  const state = randomBytes(16).toString("base64url");

  const authorize = new URL("/authorize", options.issuerUrl);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    scope: ["openid", "profile", ...(options.scopes ?? [])].join(" "),
    state,
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
  }).toString();

  let response = await request(authorize.href);
  for (let step = 0; step < 10; step++) {
    const location = response.headers.get("location");
    if (response.status === 200) {
      const page = await response.text();
      const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
      if (action === undefined)
        throw new Error(`the issuer showed a page without a form (step ${step})`);
      if (/Wrong username or password/.test(page))
        throw new Error("the issuer rejected the username or password");
      const form: Record<string, string> = action.endsWith("/login")
        ? { username: options.username, password: options.password }
        : { decision: "accept" };
      response = await request(resolveUrl(action.replace(/&amp;/g, "&")), { method: "POST", form });
      continue;
    }
    if (location === null)
      throw new Error(`the issuer answered ${response.status} without a redirect`);
    const next = resolveUrl(location);
    if (next.startsWith(options.redirectUri)) {
      const params = new URL(next).searchParams;
      if (params.get("error") !== null)
        throw new Error(
          `sign-in failed: ${params.get("error")}: ${params.get("error_description") ?? ""}`,
        );
      if (params.get("state") !== state)
        throw new Error("sign-in failed: the state came back changed");
      return exchange(options, params.get("code")!);
    }
    response = await request(next);
  }
  throw new Error("sign-in did not finish within 10 steps");
}

async function exchange(options: ScriptedSignInOptions, code: string): Promise<TokenSet> {
  const response = await fetch(new URL("/oauth/token", options.issuerUrl), {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(options.expiresIn !== undefined
        ? { [TOKEN_LIFETIME_HEADER]: String(options.expiresIn) }
        : {}),
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: options.redirectUri,
      client_id: options.clientId,
      ...(options.clientSecret !== undefined ? { client_secret: options.clientSecret } : {}),
    }).toString(),
  });
  const body = (await response.json()) as TokenSet & { error?: string; error_description?: string };
  if (!response.ok)
    throw new Error(
      `the token endpoint answered ${response.status}: ${body.error ?? ""} ${body.error_description ?? ""}`.trim(),
    );
  return body;
}
