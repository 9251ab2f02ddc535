import { AUTH0_PATHS } from "../facts/auth0";

/**
 * The tenant's `/authorize` URL that starts a sign-in: the tutorial had the user assemble it by
 * hand. The redirect URI is passed exactly as registered (OAuth servers compare it byte for byte).
 * `connection` names the stack's own database, so that Universal Login signs in there even where
 * the tenant enabled the application on other connections too (Auth0's `/authorize` parameter).
 */
export function loginUrl(args: {
  issuer: string;
  clientId: string;
  redirectUri: string;
  connection: string;
}): string {
  const query = [
    ["response_type", "code"],
    ["client_id", args.clientId],
    ["redirect_uri", args.redirectUri],
    ["scope", "openid profile"],
    ["connection", args.connection],
  ]
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join("&");
  return `${args.issuer.replace(/\/$/, "")}${AUTH0_PATHS.authorization}?${query}`;
}
