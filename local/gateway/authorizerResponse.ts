import type { Verdict } from "../authorizer/jwtAuthorizer";
import { gatewayResponse, type HttpResponse } from "./gatewayResponses";

/**
 * The gateway's answer to a rejected token. 401: `www-authenticate` is `Bearer` alone when no
 * token was sent, else `Bearer scope="…" error="invalid_token" error_description="…"`, single
 * spaces and no commas, `scope` holding the route's scopes space-joined (empty when none); both
 * forms seen on AWS. 403 `{"message":"Forbidden"}` for a missing scope (EMU); AWS's header on that
 * 403 is UNCONFIRMED: we send RFC 6750's `insufficient_scope` in the same shape.
 */
export function rejection(
  verdict: Extract<Verdict, { kind: "deny" }>,
  routeScopes: readonly string[],
): HttpResponse {
  const scope = routeScopes.join(" ");
  if (verdict.status === 403) {
    return gatewayResponse("Forbidden", {
      "www-authenticate": `Bearer scope="${scope}" error="insufficient_scope" error_description="${verdict.description}"`,
    });
  }
  if (verdict.description === undefined) {
    return gatewayResponse("Unauthorized", { "www-authenticate": "Bearer" });
  }
  return gatewayResponse("Unauthorized", {
    "www-authenticate": `Bearer scope="${scope}" error="invalid_token" error_description="${verdict.description}"`,
  });
}
