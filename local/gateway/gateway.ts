import { authorize, readIdentity, type KeyResolver } from "../authorizer/jwtAuthorizer";
import { rejection } from "../authorizer/authorizerResponse";
import type { VerdictCache } from "../authorizer/verdictCache";
import { applyCors, isPreflight, preflightResponse } from "../gateway/cors";
import { buildEvent } from "../gateway/eventBuilder";
import { gatewayResponse, type HttpResponse } from "../gateway/gatewayResponses";
import { isWellEncoded, joinedHeaders, type GatewayRequest } from "../gateway/request";
import { mapLambdaResult } from "../gateway/responseMapper";
import { compileRoutes, matchRoute, type RouteTable } from "../gateway/routeMatcher";
import type { LocalModel, LocalRoute } from "../interpret/model";
import type { FunctionHost, InvokeResult } from "../lambda/functionHost";
import { FAKE_ACCOUNT_ID } from "../evaluate/fakeCloud";
import { TokenBucket } from "./tokenBucket";

/** Lambda's synchronous invocation limit, for the request event and for the response. */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/** What one request did, for the log line. Never holds the token. */
export interface RequestOutcome {
  routeKey: string;
  /** `public`, `allow`, `deny 401 <reason>`, `deny 403 <reason>`, or `-` when no route ran. */
  authorizer: string;
}

export interface GatewayDeps {
  /** Per authorizer issuer: where its keys come from (discovery, cached) and what was verified. */
  trustFor: (issuer: string) => { keys: KeyResolver; verdicts: VerdictCache };
  functions: ReadonlyMap<string, FunctionHost>;
  /** Milliseconds since the epoch; a frozen clock in tests. */
  clock?: () => number;
  /** Stage throttling answers 429 only when asked for (`--throttle`). */
  throttle?: boolean;
}

/**
 * The HTTP API as API Gateway runs it: route selection, the JWT authorizer, the Lambda proxy
 * integration (payload 2.0) and the gateway's own error answers. Built once per program version;
 * hot reload builds a new one.
 */
export class Gateway {
  private readonly table: RouteTable<LocalRoute>;
  private readonly bucket: TokenBucket | undefined;
  private readonly clock: () => number;

  constructor(
    readonly model: LocalModel,
    private readonly deps: GatewayDeps,
  ) {
    this.table = compileRoutes(model.api.routes);
    this.clock = deps.clock ?? Date.now;
    const throttling = model.api.throttling;
    this.bucket =
      deps.throttle && throttling !== undefined
        ? new TokenBucket(throttling.rateLimit, throttling.burstLimit, this.clock)
        : undefined;
  }

  async handle(
    request: GatewayRequest,
  ): Promise<{ response: HttpResponse; outcome: RequestOutcome }> {
    const headers = joinedHeaders(request.rawHeaders);
    const cors = this.model.api.cors;
    // Malformed percent-encoding or UTF-8 in the path or the query never reaches a route.
    if (!isWellEncoded(request.rawPath) || !isWellEncoded(request.rawQueryString)) {
      return {
        response: gatewayResponse("Bad Request"),
        outcome: { routeKey: "-", authorizer: "-" },
      };
    }
    const match = matchRoute(this.table, request.method, request.rawPath);
    // With CORS configured, API Gateway ignores the integration's CORS headers on every
    // response, whether or not the request had an Origin (CORS-DOC), and adds its own when the
    // Origin is allowed.
    const done = (response: HttpResponse, outcome: RequestOutcome) => ({
      response: cors !== undefined ? applyCors(cors, headers.origin, response) : response,
      outcome,
    });

    // With CORS configured, API Gateway answers a preflight itself only when no route takes it:
    // an OPTIONS route, an ANY route (it matches every method) or $default do, and their
    // authorizer runs as for any request. CORS-DOC: "$default … catches … OPTIONS requests";
    // an `ANY /user` route with a JWT authorizer failing the browser's preflight, fixed by an
    // unauthenticated `OPTIONS` route on the same path, is reported in anomalyco/sst#5493.
    if (cors !== undefined && isPreflight(request.method, headers) && match.kind !== "match") {
      return {
        response: preflightResponse(cors, headers),
        outcome: { routeKey: "-", authorizer: "-" },
      };
    }
    if (match.kind === "none")
      return done(gatewayResponse("Not Found"), { routeKey: "-", authorizer: "-" });
    if (match.kind === "bad-encoding")
      return done(gatewayResponse("Bad Request"), { routeKey: "-", authorizer: "-" });
    const route = match.route;
    if (this.bucket !== undefined && !this.bucket.take()) {
      return done(gatewayResponse("Too Many Requests"), {
        routeKey: route.routeKey,
        authorizer: "-",
      });
    }

    let jwt: { claims: Record<string, string>; scopes: string[] | null } | undefined;
    let verdictLabel = "public";
    if (route.authorizationType === "JWT") {
      const config =
        route.authorizerId !== undefined
          ? this.model.api.authorizers[route.authorizerId]
          : undefined;
      if (config === undefined)
        return done(gatewayResponse("Internal Server Error"), {
          routeKey: route.routeKey,
          authorizer: "missing",
        });
      const trust = this.deps.trustFor(config.issuer);
      const verdict = await authorize({
        identity: readIdentity(config.identitySource, headers, request.rawQueryString),
        config,
        routeScopes: route.scopes,
        keys: trust.keys,
        cache: trust.verdicts,
        now: Math.floor(this.clock() / 1000),
      });
      if (!verdict.ok) {
        const reason = verdict.description ?? "no token";
        return done(rejection(verdict, route.scopes), {
          routeKey: route.routeKey,
          authorizer: `deny ${verdict.status} ${reason}`,
        });
      }
      verdictLabel = "allow";
      jwt = {
        claims: verdict.formattedClaims,
        scopes: route.scopes.length > 0 ? verdict.scopes : null,
      };
    } else if (route.authorizationType !== "NONE") {
      return done(gatewayResponse("Internal Server Error"), {
        routeKey: route.routeKey,
        authorizer: route.authorizationType,
      });
    }
    const outcome = { routeKey: route.routeKey, authorizer: verdictLabel };

    const host =
      route.functionName !== undefined ? this.deps.functions.get(route.functionName) : undefined;
    if (host === undefined || route.payloadFormatVersion !== "2.0") {
      return done(gatewayResponse("Internal Server Error"), outcome);
    }
    const event = buildEvent(request, {
      accountId: FAKE_ACCOUNT_ID,
      apiId: this.model.api.id,
      routeKey: route.routeKey,
      pathParameters: match.pathParameters,
      stageVariables: this.model.api.stageVariables,
      ...(jwt !== undefined ? { jwt } : {}),
    });
    // Lambda refuses a request payload over 6 MB; API Gateway reports an integration failure.
    const eventJson = JSON.stringify(event);
    if (Buffer.byteLength(eventJson) > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      return done(gatewayResponse("Internal Server Error"), outcome);
    }
    const invocation = host.invoke(eventJson, request.requestId);
    // The function's own timeout (a 500) comes first unless the integration's is shorter.
    const result =
      route.integrationTimeoutMs < host.fn.timeoutSeconds * 1000
        ? await withTimeout(invocation, route.integrationTimeoutMs)
        : await invocation;
    if (result === "integration-timeout")
      return done(gatewayResponse("Service Unavailable"), outcome);
    return done(integrationResponse(result), outcome);
  }
}

/** A function's result as the client sees it: its response, or 500 for any failure. */
function integrationResponse(result: InvokeResult): HttpResponse {
  if (result.kind !== "ok") return gatewayResponse("Internal Server Error");
  if (result.payloadBytes > LAMBDA_PAYLOAD_LIMIT_BYTES) {
    return gatewayResponse("Internal Server Error");
  }
  return mapLambdaResult(result.payload) ?? gatewayResponse("Internal Server Error");
}

/** API Gateway stops waiting after the integration's timeout and answers 503 (OBS). */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | "integration-timeout"> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    work,
    new Promise<"integration-timeout">(
      (resolve) => (timer = setTimeout(() => resolve("integration-timeout"), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}
