/**
 * The HTTP API as API Gateway runs it, one request at a time, in named steps. Each step answers
 * (returns a response) or passes on what the next one needs: `selectRoute` a routed request,
 * `authorize` the JWT's context for `invoke`, so that no step can run without what an earlier one
 * found. What they learn for the log line they note on the exchange:
 *
 *   rejectMalformed → answerPreflight → selectRoute → throttle → authorize → invoke → withCors
 *
 * The JWT is checked in `authorize`; the function runs in `invoke`. The socket side (reading,
 * writing, the log line) is `server/httpServer.ts`. Built once per program version; hot reload
 * builds a new one.
 */
import { randomUUID } from "node:crypto";
import type { KeyResolver } from "../authorizer/jwtAuthorizer";
import { rejection } from "./authorizerResponse";
import { identityReader, type IdentityReader } from "./identitySource";
import { FAKE_ACCOUNT_ID } from "../evaluate/fakeCloud";
import type { LocalModel, LocalRoute } from "../interpret/model";
import type { FunctionPool, InvokeResult } from "../lambda/functionPool";
import { applyCors, isPreflight, preflightResponse } from "./cors";
import { buildEvent, type EventContext } from "./eventBuilder";
import { gatewayResponse, type HttpResponse } from "./gatewayResponses";
import { isWellEncoded, joinedHeaders, type GatewayRequest } from "./request";
import { mapLambdaResult } from "./responseMapper";
import { authorizeRoute } from "./routeAuthorization";
import { compileRoutes, matchRoute, type RouteTable } from "./routeMatcher";
import { TokenBucket } from "./tokenBucket";

/** Lambda's synchronous invocation limit for the request event (the response's: invokeResult.ts). */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/** What one request did, for the log line. Never holds the token. */
export interface RequestOutcome {
  /** The route that took the request; `-` when none did. */
  routeKey: string;
  /** `public`, `allow`, `deny 401 <reason>`, `deny 403 <reason>`; `-` when it did not run. */
  authorizer: string;
  /** Lambda's request ID for the invocation, when one ran (`$context.integration.requestId`). */
  integrationRequestId?: string;
  /** The event the function received, as its JSON text (for the console's details). */
  event?: string;
}

/** The outcome of a request no route took. */
export const NO_ROUTE: RequestOutcome = { routeKey: "-", authorizer: "-" };

export interface GatewayDeps {
  /** Per authorizer issuer: where its keys come from (discovery, cached). */
  keysFor: (issuer: string) => KeyResolver;
  functions: ReadonlyMap<string, FunctionPool>;
  /** Milliseconds since the epoch; a frozen clock in tests. */
  clock?: () => number;
  /** Stage throttling answers 429 only when asked for (`--throttle`). */
  throttle?: boolean;
}

/** One request on its way through the steps, and what they noted for its log line. */
interface Exchange {
  readonly request: GatewayRequest;
  /** Lowercased names, duplicates joined (payload 2.0). */
  readonly headers: Record<string, string>;
  /** The route that took it, once one has. */
  route?: LocalRoute;
  authorizer: string;
  integrationRequestId?: string;
  eventJson?: string;
}

/** A request a route took: the steps after `selectRoute` take only this. */
interface Routed extends Exchange {
  readonly route: LocalRoute;
  readonly pathParameters: Record<string, string>;
}

/** What the authorizer hands the integration: the JWT's context on a JWT route. */
type Authorized = { jwt: EventContext["jwt"] | undefined };

export class Gateway {
  private readonly table: RouteTable<LocalRoute>;
  private readonly bucket: TokenBucket | undefined;
  private readonly clock: () => number;
  /** Per authorizer: where its token is read from. */
  private readonly identities: ReadonlyMap<string, IdentityReader>;

  constructor(
    readonly model: LocalModel,
    private readonly deps: GatewayDeps,
  ) {
    this.table = compileRoutes(model.api.routes);
    this.clock = deps.clock ?? Date.now;
    this.identities = new Map(
      Object.entries(model.api.authorizers).map(([id, a]) => [
        id,
        identityReader(a.identitySource),
      ]),
    );
    const throttling = model.api.throttling;
    this.bucket =
      deps.throttle && throttling !== undefined
        ? new TokenBucket(throttling.rateLimit, throttling.burstLimit, this.clock)
        : undefined;
  }

  async handle(
    request: GatewayRequest,
  ): Promise<{ response: HttpResponse; outcome: RequestOutcome }> {
    const x: Exchange = { request, headers: joinedHeaders(request.rawHeaders), authorizer: "-" };
    const response =
      rejectMalformed(x) ?? this.answerPreflight(x) ?? this.withCors(x, await this.routed(x));
    const outcome: RequestOutcome = {
      routeKey: x.route?.routeKey ?? "-",
      authorizer: x.authorizer,
    };
    if (x.integrationRequestId !== undefined) outcome.integrationRequestId = x.integrationRequestId;
    if (x.eventJson !== undefined) outcome.event = x.eventJson;
    return { response, outcome };
  }

  /**
   * With CORS configured, API Gateway answers a preflight itself only when no route takes it:
   * an OPTIONS route, an ANY route (it matches every method) or $default do, and their
   * authorizer runs as for any request. CORS-DOC: "$default … catches … OPTIONS requests";
   * an `ANY /user` route with a JWT authorizer failing the browser's preflight, fixed by an
   * unauthenticated `OPTIONS` route on the same path, is reported in anomalyco/sst#5493.
   */
  private answerPreflight(x: Exchange): HttpResponse | undefined {
    const cors = this.model.api.cors;
    if (cors === undefined || !isPreflight(x.request.method, x.headers)) return undefined;
    const taken = matchRoute(this.table, x.request.method, x.request.rawPath).kind === "match";
    return taken ? undefined : preflightResponse(cors, x.headers);
  }

  /** The steps of a request a route takes; each runs only with what the one before gave it. */
  private async routed(x: Exchange): Promise<HttpResponse> {
    const routed = this.selectRoute(x);
    if (!("route" in routed)) return routed;
    const authorized = this.throttle() ?? (await this.authorize(routed));
    return "jwt" in authorized ? this.invoke(routed, authorized) : authorized;
  }

  /** The one place a request finds its route, or the gateway's 404 (400 for a bad path variable). */
  private selectRoute(x: Exchange): Routed | HttpResponse {
    const match = matchRoute(this.table, x.request.method, x.request.rawPath);
    if (match.kind === "none") return gatewayResponse("Not Found");
    if (match.kind === "bad-encoding") return gatewayResponse("Bad Request");
    // The same exchange, now with what the later steps need: their notes reach the log line.
    return Object.assign(x, { route: match.route, pathParameters: match.pathParameters });
  }

  /** Stage throttling, when asked for: 429 once the bucket is empty. */
  private throttle(): HttpResponse | undefined {
    return this.bucket !== undefined && !this.bucket.take()
      ? gatewayResponse("Too Many Requests")
      : undefined;
  }

  /** The route's authorizer: none for a public route, else API Gateway's JWT authorizer. */
  private async authorize(x: Routed): Promise<Authorized | HttpResponse> {
    const { route } = x;
    const verdict = await authorizeRoute(
      route,
      this.model.api.authorizers,
      (id) => this.identities.get(id)?.(x.headers, x.request.rawQueryString),
      { keysFor: this.deps.keysFor, now: Math.floor(this.clock() / 1000) },
    );
    if (verdict.kind === "public") {
      x.authorizer = "public";
      return { jwt: undefined };
    }
    if (verdict.kind === "unauthorizable") {
      x.authorizer = verdict.label;
      return gatewayResponse("Internal Server Error");
    }
    if (verdict.kind === "deny") {
      x.authorizer = `deny ${verdict.status} ${verdict.description ?? "no token"}`;
      return rejection(verdict, route.scopes);
    }
    x.authorizer = "allow";
    return {
      jwt: {
        claims: verdict.formattedClaims,
        scopes: route.scopes.length > 0 ? verdict.scopes : null,
      },
    };
  }

  /** The Lambda proxy integration (payload 2.0): the event in, the function's answer mapped out. */
  private async invoke(x: Routed, { jwt }: Authorized): Promise<HttpResponse> {
    const { route } = x;
    const pool =
      route.functionName !== undefined ? this.deps.functions.get(route.functionName) : undefined;
    if (pool === undefined || route.payloadFormatVersion !== "2.0") {
      return gatewayResponse("Internal Server Error");
    }
    const event = buildEvent(
      x.request,
      {
        accountId: FAKE_ACCOUNT_ID,
        apiId: this.model.api.id,
        routeKey: route.routeKey,
        pathParameters: x.pathParameters,
        stageVariables: this.model.api.stageVariables,
        ...(jwt !== undefined ? { jwt } : {}),
      },
      x.headers,
    );
    // Lambda refuses a request payload over 6 MB; API Gateway reports an integration failure.
    const eventJson = JSON.stringify(event);
    if (Buffer.byteLength(eventJson) > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      return gatewayResponse("Internal Server Error");
    }
    // Lambda names the invocation with a request ID of its own, not API Gateway's; the trace
    // header reaches the function as _X_AMZN_TRACE_ID (LAMBDA-ENV).
    x.integrationRequestId = randomUUID();
    x.eventJson = eventJson;
    // Nobody waits once the client has gone or API Gateway has given up: an invocation still
    // waiting for an environment gives up its place then (it would delay the requests after it).
    const abandoned = new AbortController();
    x.request.abandoned?.addEventListener("abort", () => abandoned.abort(), { once: true });
    const invocation = pool.invoke(
      eventJson,
      x.integrationRequestId,
      event.headers["x-amzn-trace-id"],
      abandoned.signal,
    );
    // API Gateway's integration timeout counts from the request, a wait for an environment
    // included; the function's own timeout (a 500) comes first when it is shorter and the
    // function has started. Under a debugger, neither applies (FunctionPoolOptions.untimed).
    const result = pool.untimed
      ? await invocation
      : await withTimeout(invocation, route.integrationTimeoutMs);
    if (result === "integration-timeout") {
      abandoned.abort();
      return gatewayResponse("Service Unavailable");
    }
    return integrationResponse(result);
  }

  /**
   * A function invoked directly with an event of one's own, as `aws lambda invoke` would (no
   * route, no authorizer): for the console. Undefined for a function the program does not have.
   */
  async invokeFunction(
    name: string,
    eventJson: string,
  ): Promise<{ integrationRequestId: string; result: InvokeResult } | undefined> {
    const pool = this.deps.functions.get(name);
    if (pool === undefined) return undefined;
    const integrationRequestId = randomUUID();
    return { integrationRequestId, result: await pool.invoke(eventJson, integrationRequestId) };
  }

  /**
   * With CORS configured, API Gateway ignores the integration's CORS headers on every response,
   * whether or not the request had an Origin (CORS-DOC), and adds its own when the Origin is
   * allowed.
   */
  private withCors(x: Exchange, response: HttpResponse): HttpResponse {
    const cors = this.model.api.cors;
    return cors !== undefined ? applyCors(cors, x.headers.origin, response) : response;
  }
}

/** Malformed percent-encoding or UTF-8 in the path or the query never reaches a route. */
function rejectMalformed(x: Exchange): HttpResponse | undefined {
  return isWellEncoded(x.request.rawPath) && isWellEncoded(x.request.rawQueryString)
    ? undefined
    : gatewayResponse("Bad Request");
}

/** A function's result as the client sees it: its response, or 500 for any failure. */
function integrationResponse(result: InvokeResult): HttpResponse {
  // A response over Lambda's limit is the invocation's error already (invokeResult.ts).
  if (result.kind !== "ok") return gatewayResponse("Internal Server Error");
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
