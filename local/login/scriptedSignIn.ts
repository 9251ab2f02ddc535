/**
 * `npm run token`'s sign-in: the same authorization code flow as `npm run login`
 * (`authorization.ts`, on oauth4webapi), with a script in the browser's place: it follows the
 * built-in issuer's redirects with a cookie jar, fills in the login form and accepts the consent
 * form, and reads the redirect that carries the code from the `Location` header (nothing needs to
 * listen on the callback URL).
 */
import { CookieJar } from "tough-cookie";
import { TOKEN_LIFETIME_HEADER } from "../issuer/providerConfig";
import { signInFormOf, signInRefusalOf } from "../issuer/signInHooks";
import { beginAuthorization, type LoginResult, type LoginTarget } from "./authorization";

export interface ScriptedSignInOptions {
  username: string;
  password: string;
  /** Extra scopes beyond `openid profile`. */
  scopes?: string[];
  /** Seconds; sent as the built-in issuer's loopback-only lifetime extension. */
  expiresIn?: number;
}

export async function scriptedSignIn(
  target: LoginTarget,
  options: ScriptedSignInOptions,
): Promise<LoginResult> {
  const authorization = await beginAuthorization(target, options.scopes);
  const browser = new ScriptedBrowser(target.discoveryBaseUrl ?? target.issuer);
  let response = await browser.get(authorization.url);
  for (let step = 0; step < 10; step++) {
    if (response.status === 200) {
      response = await browser.submit(await response.text(), options);
      continue;
    }
    const location = response.headers.get("location");
    if (location === null) {
      throw new Error(`the issuer answered ${response.status} without a redirect`);
    }
    const next = new URL(location, response.url);
    if (next.href.startsWith(target.redirectUri)) {
      return authorization.finish(
        next,
        options.expiresIn !== undefined
          ? { [TOKEN_LIFETIME_HEADER]: String(options.expiresIn) }
          : undefined,
      );
    }
    response = await browser.get(next.href);
  }
  throw new Error("sign-in did not finish within 10 steps");
}

/** Just enough of a browser for the built-in issuer's pages: cookies, redirects by hand, forms. */
class ScriptedBrowser {
  private readonly jar = new CookieJar();

  constructor(private readonly base: string) {}

  get(url: string): Promise<Response> {
    return this.request(url, "GET");
  }

  /** Fills in and posts the page's form: the login form with the credentials, else Accept. */
  async submit(page: string, credentials: ScriptedSignInOptions): Promise<Response> {
    const form = signInFormOf(page);
    if (form === undefined) throw new Error("the issuer showed a page without a form");
    const refusal = signInRefusalOf(page);
    if (refusal !== undefined && form.kind === "login") {
      throw new Error(`the issuer refused the sign-in: ${unescapeHtml(refusal)}`);
    }
    const fields: Record<string, string> =
      form.kind === "login"
        ? { username: credentials.username, password: credentials.password }
        : {};
    const url = new URL(unescapeHtml(form.action), this.base).href;
    return this.request(url, "POST", new URLSearchParams(fields).toString());
  }

  private async request(url: string, method: string, body?: string): Promise<Response> {
    const response = await fetch(url, {
      method,
      redirect: "manual",
      headers: {
        cookie: await this.jar.getCookieString(url),
        ...(body !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      await this.jar.setCookie(cookie, url, { ignoreError: true });
    }
    return response;
  }
}

/** The text `escapeHtml` (issuer/pages.ts) wrote: numeric references back to characters. */
function unescapeHtml(html: string): string {
  return html.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}
