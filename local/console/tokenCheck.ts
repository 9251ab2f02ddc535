/**
 * A token as the console explains it: its decoded header and claims, and for each route whether
 * the authorizer would let it through and why not, by the authorizer's own rules (`authorize`,
 * with the keys the gateway uses) against the model the gateway serves.
 */
import { decodeJwt, decodeProtectedHeader } from "jose";
import { authorizeRoute, type RouteTrust } from "../gateway/routeAuthorization";
import type { LocalModel, LocalRoute } from "../interpret/model";
import { MAX_REQUEST_LINE_AND_HEADERS_BYTES } from "../server/httpServer";
import type { Inspection, RouteVerdict } from "./consoleApi";

export type InspectDeps = RouteTrust;

/**
 * The token a request field holds, as typed or pasted: surrounding blanks and a `Bearer ` prefix
 * go. Undefined when the field holds no text.
 */
export function tokenIn(field: unknown): string | undefined {
  if (typeof field !== "string") return undefined;
  const trimmed = field.trim();
  const token = trimmed.startsWith("Bearer ") ? trimmed.slice("Bearer ".length).trim() : trimmed;
  return token !== "" ? token : undefined;
}

export async function inspectToken(
  token: string,
  model: LocalModel,
  deps: InspectDeps,
): Promise<Inspection> {
  const routes = await Promise.all(
    model.api.routes.map((r) => routeVerdict(token, r, model, deps)),
  );
  try {
    const header = decodeProtectedHeader(token) as Record<string, unknown>;
    const claims = decodeJwt(token) as Record<string, unknown>;
    return { header, claims, routes };
  } catch (err) {
    return { error: `not a JWT: ${(err as Error).message}`, routes };
  }
}

async function routeVerdict(
  token: string,
  route: LocalRoute,
  model: LocalModel,
  deps: InspectDeps,
): Promise<RouteVerdict> {
  const { routeKey } = route;
  // `Authorization: Bearer <token>` alone past API Gateway's quota never reaches a route.
  const tooLong =
    Buffer.byteLength(`authorization: Bearer ${token}`) > MAX_REQUEST_LINE_AND_HEADERS_BYTES;
  if (tooLong && route.authorizationType !== "NONE") {
    return {
      routeKey,
      passes: false,
      status: 431,
      reason: `the token is longer than API Gateway reads: request line and headers are limited to ${MAX_REQUEST_LINE_AND_HEADERS_BYTES} bytes`,
    };
  }
  // The token as its authorizer's identity source would carry it.
  const verdict = await authorizeRoute(route, model.api.authorizers, () => token, deps);
  if (verdict.kind === "public") {
    return { routeKey, passes: true, reason: "public: no authorizer runs" };
  }
  if (verdict.kind === "unauthorizable") {
    return { routeKey, passes: false, status: 500, reason: "the route has no JWT authorizer" };
  }
  if (verdict.kind === "allow") {
    const scopes = route.scopes.length > 0 ? ` with scope ${route.scopes.join(" or ")}` : "";
    return { routeKey, passes: true, reason: `allowed${scopes}` };
  }
  return {
    routeKey,
    passes: false,
    status: verdict.status,
    reason: verdict.description ?? "no token",
  };
}
