/** Auth0's facts that the program, the local environment and the tools all rely on. */
import { isLoopbackUrl } from "./loopback";

/** Auth0's issuer (`iss`) is the tenant URL with a trailing slash; API Gateway compares it exactly. */
export function issuerFor(domain: string): string {
  return `https://${domain}/`;
}

/** A tenant's endpoints, as paths under its issuer URL. */
export const AUTH0_PATHS = {
  authorization: "/authorize",
  token: "/oauth/token",
  userinfo: "/userinfo",
  jwks: "/.well-known/jwks.json",
  end_session: "/oidc/logout",
  revocation: "/oauth/revoke",
} as const;

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
export function isScopeToken(scope: string): boolean {
  return /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope);
}

/** The callback URL an application gets when the stack sets none: where `npm run login` listens. */
export const DEFAULT_CALLBACK_URL = "http://localhost:5678";

/**
 * The callback `npm run login` listens on for an application: its first http callback on
 * loopback, else DEFAULT_CALLBACK_URL (`declared: false`) when it has none, as prod's are its web
 * app's. The built-in issuer accepts that one locally too; Auth0 accepts only what is declared.
 */
export function loginCallback(callbacks: readonly string[]): { url: string; declared: boolean } {
  const own = callbacks.find((c) => isLoopbackUrl(c) && new URL(c).protocol === "http:");
  return own !== undefined
    ? { url: own, declared: true }
    : { url: DEFAULT_CALLBACK_URL, declared: false };
}
