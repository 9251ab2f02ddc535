/**
 * The HTTP API the program declares: its routes with their integrations and authorizers, and
 * its `$default` stage's throttling and variables. What is declared but not emulated becomes a
 * warning, and its routes answer 500.
 */
import { TYPES } from "../../facts/resourceTypes";
import type { EvaluatedResource } from "../evaluate/snapshot";
import type { CorsConfig } from "./model";
import type { EvaluatedProgram, LocalApi, LocalFunction, LocalRoute } from "./model";

/** API Gateway's integration timeout when the program sets none. */
const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;

export function interpretApi(
  evaluation: EvaluatedProgram,
  byArn: ReadonlyMap<string, LocalFunction>,
  warnings: string[],
): LocalApi {
  const apis = evaluation.resources.filter(
    (r) => r.type === TYPES.api && r.inputs.protocolType === "HTTP",
  );
  if (apis.length === 0) throw new Error("the program declares no HTTP API (aws.apigatewayv2.Api)");
  if (apis.length > 1)
    warnings.push(`${apis.length} HTTP APIs declared; serving '${apis[0]!.name}'`);
  const api = apis[0]!;
  const of = (type: string) =>
    evaluation.resources.filter((r) => r.type === type && r.inputs.apiId === api.id);
  const routes = interpretRoutes(of(TYPES.route), of(TYPES.integration), byArn, warnings);
  const stage = of(TYPES.stage).find((s) => s.inputs.name === "$default");
  if (stage === undefined)
    warnings.push("no $default stage is declared; the API is served at its root anyway");
  const settings = (stage?.inputs.defaultRouteSettings ?? {}) as {
    throttlingRateLimit?: number;
    throttlingBurstLimit?: number;
  };
  const { throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit } = settings;
  return {
    id: api.id,
    name: String(api.inputs.name ?? api.name),
    ...(api.inputs.corsConfiguration !== undefined
      ? { cors: api.inputs.corsConfiguration as CorsConfig }
      : {}),
    ...(rateLimit !== undefined && burstLimit !== undefined
      ? { throttling: { rateLimit, burstLimit } }
      : {}),
    stageVariables: (stage?.inputs.stageVariables ?? {}) as Record<string, string>,
    routes,
    authorizers: interpretAuthorizers(of(TYPES.authorizer)),
  };
}

/**
 * Routes by path, then method, `$default` last: one order, whichever order the program's functions
 * finished serializing in (each route registers once its function's ARN is known, so the order
 * the mocks see them in changes from run to run).
 */
function byPathThenMethod(a: EvaluatedResource, b: EvaluatedResource): number {
  const key = (r: EvaluatedResource) => {
    const routeKey = String(r.inputs.routeKey);
    const [method, path] = routeKey.split(" ");
    return routeKey === "$default" ? "\uffff" : `${path} ${method}`;
  };
  const [x, y] = [key(a), key(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function interpretRoutes(
  declared: EvaluatedResource[],
  integrationResources: EvaluatedResource[],
  byArn: ReadonlyMap<string, LocalFunction>,
  warnings: string[],
): LocalRoute[] {
  const integrations = new Map(integrationResources.map((i) => [i.id, i] as const));
  return [...declared].sort(byPathThenMethod).map((r) => {
    const routeKey = String(r.inputs.routeKey);
    const target = typeof r.inputs.target === "string" ? r.inputs.target : "";
    const integration = integrations.get(target.replace(/^integrations\//, ""));
    const fn =
      integration?.inputs.integrationType === "AWS_PROXY"
        ? byArn.get(String(integration.inputs.integrationUri))
        : undefined;
    const route: LocalRoute = {
      routeKey,
      authorizationType: String(r.inputs.authorizationType ?? "NONE"),
      ...(typeof r.inputs.authorizerId === "string" ? { authorizerId: r.inputs.authorizerId } : {}),
      scopes: (r.inputs.authorizationScopes as string[] | undefined) ?? [],
      ...(fn !== undefined ? { functionName: fn.name } : {}),
      payloadFormatVersion: String(integration?.inputs.payloadFormatVersion ?? "1.0"),
      integrationTimeoutMs: Number(
        integration?.inputs.timeoutMilliseconds ?? DEFAULT_INTEGRATION_TIMEOUT_MS,
      ),
    };
    warnings.push(...notEmulated(route));
    return route;
  });
}

/** Why a route answers 500 locally, if it does. */
function notEmulated(route: LocalRoute): string[] {
  const why: string[] = [];
  const { routeKey } = route;
  if (route.functionName === undefined) {
    why.push(`route '${routeKey}' has no Lambda proxy integration to run; it answers 500`);
  }
  if (!["NONE", "JWT"].includes(route.authorizationType)) {
    why.push(
      `route '${routeKey}' uses ${route.authorizationType} authorization, which is not emulated; it answers 500`,
    );
  }
  if (route.functionName !== undefined && route.payloadFormatVersion !== "2.0") {
    why.push(
      `route '${routeKey}' uses payload format ${route.payloadFormatVersion}; only 2.0 is emulated, it answers 500`,
    );
  }
  return why;
}

function interpretAuthorizers(declared: EvaluatedResource[]): LocalApi["authorizers"] {
  const authorizers: LocalApi["authorizers"] = {};
  for (const a of declared) {
    if (a.inputs.authorizerType !== "JWT") continue;
    const jwt = (a.inputs.jwtConfiguration ?? {}) as { issuer?: string; audiences?: string[] };
    authorizers[a.id] = {
      name: String(a.inputs.name ?? a.name),
      issuer: jwt.issuer ?? "",
      audiences: jwt.audiences ?? [],
      identitySource:
        ((a.inputs.identitySources as string[] | undefined) ?? [])[0] ??
        "$request.header.Authorization",
    };
  }
  return authorizers;
}
