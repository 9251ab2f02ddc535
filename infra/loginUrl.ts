import { AUTH0_PATHS } from "../facts/auth0";

/**
 * The tenant's `/authorize` URL that starts a sign-in: the tutorial had the user assemble it by
 * hand. The redirect URI is passed exactly as registered (OAuth servers compare it byte for byte).
 */
export function loginUrl(args: { issuer: string; clientId: string; redirectUri: string }): string {
  const query = [
    ["response_type", "code"],
    ["client_id", args.clientId],
    ["redirect_uri", args.redirectUri],
    ["scope", "openid profile"],
  ]
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join("&");
  return `${args.issuer.replace(/\/$/, "")}${AUTH0_PATHS.authorization}?${query}`;
}
