/**
 * Which authorizer a route runs and what it decides, as API Gateway does: a route with
 * authorization NONE runs none; a JWT route runs its JWT authorizer; any other type, or a JWT
 * route whose authorizer is not there, cannot be authorized (the gateway answers 500). The one
 * rule, used by the gateway for each request and by the console to explain a token.
 */
import {
  authorize,
  type JwtAuthorizerConfig,
  type KeyResolver,
  type Verdict,
} from "../authorizer/jwtAuthorizer";
import type { LocalRoute } from "../interpret/model";

export type RouteAuthorization =
  | { kind: "public" }
  /** `label`: the route's authorization type, or `missing` for an authorizer it does not find. */
  | { kind: "unauthorizable"; label: string }
  | Verdict;

export interface RouteTrust {
  /** Per issuer: its keys, where they come from (the gateway's own). */
  keysFor: (issuer: string) => KeyResolver;
  /** Seconds since the epoch. */
  now: number;
}

/** `identity`: what the authorizer's identity source holds (undefined when absent). */
export async function authorizeRoute(
  route: LocalRoute,
  authorizers: Readonly<Record<string, JwtAuthorizerConfig>>,
  identity: (authorizerId: string, config: JwtAuthorizerConfig) => string | undefined,
  trust: RouteTrust,
): Promise<RouteAuthorization> {
  if (route.authorizationType === "NONE") return { kind: "public" };
  if (route.authorizationType !== "JWT") {
    return { kind: "unauthorizable", label: route.authorizationType };
  }
  const id = route.authorizerId;
  const config = id !== undefined ? authorizers[id] : undefined;
  if (id === undefined || config === undefined) return { kind: "unauthorizable", label: "missing" };
  const keys = trust.keysFor(config.issuer);
  return authorize({
    identity: identity(id, config),
    config,
    routeScopes: route.scopes,
    keys,
    now: trust.now,
  });
}
