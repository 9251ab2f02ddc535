import type { CorsConfig } from "../interpret/model";
import type { HttpResponse } from "./gatewayResponses";

/** A preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method` (Fetch standard). */
export function isPreflight(method: string, headers: Record<string, string>): boolean {
  return (
    method === "OPTIONS" &&
    headers.origin !== undefined &&
    headers["access-control-request-method"] !== undefined
  );
}

function allowedOrigin(cors: CorsConfig, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const origins = cors.allowOrigins ?? [];
  if (origins.includes(origin)) return origin;
  return origins.includes("*") ? "*" : undefined;
}

/**
 * API Gateway answers preflight requests itself when the API has a CORS configuration, even with
 * no OPTIONS route (CORS-DOC). Status and the header set for a disallowed origin are UNCONFIRMED:
 * we answer 204 and leave the CORS headers out, which a browser treats as a refusal.
 */
export function preflightResponse(cors: CorsConfig, headers: Record<string, string>): HttpResponse {
  const out: Record<string, string> = {};
  const origin = allowedOrigin(cors, headers.origin);
  const method = headers["access-control-request-method"]!;
  const methods = cors.allowMethods ?? [];
  const methodAllowed = methods.includes("*") || methods.includes(method.toUpperCase());
  if (origin !== undefined && methodAllowed) {
    out["access-control-allow-origin"] = origin;
    out["access-control-allow-methods"] = methods.join(",");
    if ((cors.allowHeaders ?? []).length > 0) {
      out["access-control-allow-headers"] = cors.allowHeaders!.join(",");
    }
    if (cors.allowCredentials) out["access-control-allow-credentials"] = "true";
    if (cors.maxAge !== undefined) out["access-control-max-age"] = String(cors.maxAge);
  }
  return { statusCode: 204, headers: out, body: Buffer.alloc(0) };
}

function hasCorsHeader(headers: HttpResponse["headers"]): boolean {
  for (const name in headers) if (name.startsWith("access-control-")) return true;
  return false;
}

/**
 * On a CORS request API Gateway adds the configured headers to the integration's response and
 * ignores CORS headers the backend set (CORS-DOC).
 */
export function applyCors(
  cors: CorsConfig,
  requestOrigin: string | undefined,
  response: HttpResponse,
): HttpResponse {
  const origin = allowedOrigin(cors, requestOrigin);
  // Nothing to drop and nothing to add (the common case without an Origin): the response as is.
  if (origin === undefined && !hasCorsHeader(response.headers)) return response;
  // No prototype: a function's header named `__proto__` stays a header (see `nameMap`).
  const headers = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of Object.entries(response.headers)) {
    if (!name.startsWith("access-control-")) headers[name] = value;
  }
  if (origin !== undefined) {
    headers["access-control-allow-origin"] = origin;
    if (cors.allowCredentials) headers["access-control-allow-credentials"] = "true";
    if ((cors.exposeHeaders ?? []).length > 0) {
      headers["access-control-expose-headers"] = cors.exposeHeaders!.join(",");
    }
  }
  return { ...response, headers };
}
