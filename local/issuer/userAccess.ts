import type { LocalResourceServer } from "../interpret/model";

/**
 * The scopes an application may request for an API on a user's behalf, or `undefined` when it
 * may get no access token for it at all. Auth0's "API Access Policies for Applications": under
 * `allow_all` (the default for user flows) any application gets the API's scopes; under
 * `require_client_grant` only an application with a client grant does, and the grant's scopes
 * are a hard ceiling; `deny_all` refuses every application.
 */
export function userAccessScopes(api: LocalResourceServer, clientId: string): string[] | undefined {
  switch (api.userAccessPolicy) {
    case "allow_all":
      return api.scopes;
    case "require_client_grant": {
      const granted = api.userGrants[clientId];
      return granted === undefined ? undefined : api.scopes.filter((s) => granted.includes(s));
    }
    default:
      return undefined;
  }
}
