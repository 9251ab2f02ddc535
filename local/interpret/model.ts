import type { JwtAuthorizerConfig } from "../authorizer/jwtAuthorizer";
import type { EvaluatedResource, Evaluation } from "../evaluate/snapshot";
import { isArchiveSnapshot } from "../evaluate/snapshot";
import type { CorsConfig } from "../gateway/cors";

/** A Lambda function as the program declares it, with the code it would upload. */
export interface LocalFunction {
  name: string;
  arn: string;
  /** Archive path → file text (`__index.js` for a CallbackFunction). */
  files: Record<string, string>;
  /** `__index.handler`: file `__index.js`, export `handler`. */
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
  logGroup: string;
}

export interface LocalRoute {
  routeKey: string;
  authorizationType: string;
  authorizerId?: string;
  scopes: string[];
  /** The Lambda function behind the route, when its integration is AWS_PROXY to one. */
  functionName?: string;
  payloadFormatVersion: string;
  integrationTimeoutMs: number;
}

export interface LocalApi {
  id: string;
  name: string;
  cors?: CorsConfig;
  throttling?: { rateLimit: number; burstLimit: number };
  /** The `$default` stage's variables: every event carries them as `stageVariables`. */
  stageVariables: Record<string, string>;
  routes: LocalRoute[];
  authorizers: Record<string, JwtAuthorizerConfig & { name: string }>;
}

export interface LocalClient {
  clientId: string;
  clientSecret?: string;
  name: string;
  appType: string;
  callbacks: string[];
  logoutUrls: string[];
  webOrigins: string[];
  grantTypes: string[];
  tokenEndpointAuthMethod: string;
  idTokenLifetimeSeconds?: number;
}

export interface LocalResourceServer {
  identifier: string;
  name: string;
  scopes: string[];
  signingAlg: string;
  tokenLifetimeSeconds?: number;
  /**
   * Which applications may get access tokens for this API on a user's behalf: Auth0's
   * `subject_type_authorization.user.policy`, `allow_all` when the program sets none.
   */
  userAccessPolicy: string;
  /** Client ID → the scopes its user client grant allows (a ceiling on what it may request). */
  userGrants: Record<string, string[]>;
}

/** What the local environment serves, read off the resources the program declares. */
export interface LocalModel {
  project: string;
  stack: string;
  api: LocalApi;
  functions: Record<string, LocalFunction>;
  clients: LocalClient[];
  resourceServers: LocalResourceServer[];
  outputs: Record<string, unknown>;
  /** Declared things the local environment does not emulate, one line each. */
  warnings: string[];
}

type Ok = Extract<Evaluation, { kind: "evaluated" }>;

/** The integration and stage defaults of API Gateway: a 30 s integration timeout, payload 2.0 only for what we serve. */
const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;

/** Builds the local model from an evaluation. Throws `Error` when there is no HTTP API to serve. */
export function interpretProgram(evaluation: Ok): LocalModel {
  const of = (type: string) => evaluation.resources.filter((r) => r.type === type);
  const warnings: string[] = [...evaluation.warnings];
  const apis = of("aws:apigatewayv2/api:Api").filter((a) => a.inputs.protocolType === "HTTP");
  if (apis.length === 0) throw new Error("the program declares no HTTP API (aws.apigatewayv2.Api)");
  if (apis.length > 1)
    warnings.push(`${apis.length} HTTP APIs declared; serving '${apis[0]!.name}'`);
  const apiResource = apis[0]!;
  const belongs = (r: EvaluatedResource) => r.inputs.apiId === apiResource.id;

  const functions: Record<string, LocalFunction> = {};
  const byArn = new Map<string, LocalFunction>();
  for (const fn of of("aws:lambda/function:Function")) {
    const local = toFunction(fn);
    if (local === undefined) {
      warnings.push(`function '${fn.name}' has no inline code archive; it cannot run locally`);
      continue;
    }
    functions[local.name] = local;
    byArn.set(local.arn, local);
    byArn.set(String(fn.state.invokeArn), local);
  }

  const integrations = new Map(
    of("aws:apigatewayv2/integration:Integration")
      .filter(belongs)
      .map((i) => [i.id, i] as const),
  );
  const routes: LocalRoute[] = [];
  for (const r of of("aws:apigatewayv2/route:Route").filter(belongs)) {
    const routeKey = String(r.inputs.routeKey);
    const target = typeof r.inputs.target === "string" ? r.inputs.target : "";
    const integration = integrations.get(target.replace(/^integrations\//, ""));
    const fn =
      integration?.inputs.integrationType === "AWS_PROXY"
        ? byArn.get(String(integration.inputs.integrationUri))
        : undefined;
    if (fn === undefined)
      warnings.push(`route '${routeKey}' has no Lambda proxy integration to run; it answers 500`);
    const authorizationType = String(r.inputs.authorizationType ?? "NONE");
    if (!["NONE", "JWT"].includes(authorizationType)) {
      warnings.push(
        `route '${routeKey}' uses ${authorizationType} authorization, which is not emulated; it answers 500`,
      );
    }
    routes.push({
      routeKey,
      authorizationType,
      ...(typeof r.inputs.authorizerId === "string" ? { authorizerId: r.inputs.authorizerId } : {}),
      scopes: (r.inputs.authorizationScopes as string[] | undefined) ?? [],
      ...(fn !== undefined ? { functionName: fn.name } : {}),
      payloadFormatVersion: String(integration?.inputs.payloadFormatVersion ?? "1.0"),
      integrationTimeoutMs: Number(
        integration?.inputs.timeoutMilliseconds ?? DEFAULT_INTEGRATION_TIMEOUT_MS,
      ),
    });
  }
  for (const route of routes) {
    if (route.functionName !== undefined && route.payloadFormatVersion !== "2.0") {
      warnings.push(
        `route '${route.routeKey}' uses payload format ${route.payloadFormatVersion}; only 2.0 is emulated, it answers 500`,
      );
    }
  }

  const authorizers: LocalApi["authorizers"] = {};
  for (const a of of("aws:apigatewayv2/authorizer:Authorizer").filter(belongs)) {
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

  const stage = of("aws:apigatewayv2/stage:Stage").find(
    (s) => belongs(s) && s.inputs.name === "$default",
  );
  if (stage === undefined)
    warnings.push("no $default stage is declared; the API is served at its root anyway");
  const settings = (stage?.inputs.defaultRouteSettings ?? {}) as {
    throttlingRateLimit?: number;
    throttlingBurstLimit?: number;
  };

  return {
    project: evaluation.project,
    stack: evaluation.stack,
    api: {
      id: apiResource.id,
      name: String(apiResource.inputs.name ?? apiResource.name),
      ...(apiResource.inputs.corsConfiguration !== undefined
        ? { cors: apiResource.inputs.corsConfiguration as CorsConfig }
        : {}),
      ...(settings.throttlingRateLimit !== undefined && settings.throttlingBurstLimit !== undefined
        ? {
            throttling: {
              rateLimit: settings.throttlingRateLimit,
              burstLimit: settings.throttlingBurstLimit,
            },
          }
        : {}),
      stageVariables: (stage?.inputs.stageVariables ?? {}) as Record<string, string>,
      routes,
      authorizers,
    },
    functions,
    clients: interpretClients(evaluation),
    resourceServers: interpretResourceServers(evaluation),
    outputs: Object.fromEntries(Object.entries(evaluation.outputs).map(([k, o]) => [k, o.value])),
    warnings,
  };
}

function toFunction(fn: EvaluatedResource): LocalFunction | undefined {
  const code = fn.inputs.code;
  if (!isArchiveSnapshot(code)) return undefined;
  const files: Record<string, string> = {};
  for (const [path, asset] of Object.entries(code.$archive)) {
    if (asset.text === undefined) return undefined;
    files[path] = asset.text;
  }
  const env = (fn.inputs.environment as { variables?: Record<string, string> } | undefined)
    ?.variables;
  const logging = fn.inputs.loggingConfig as { logGroup?: string } | undefined;
  const name = String(fn.state.name);
  return {
    name,
    arn: String(fn.state.arn),
    files,
    handler: String(fn.inputs.handler ?? "index.handler"),
    runtime: String(fn.inputs.runtime ?? "nodejs22.x"),
    // Lambda's own defaults when a function does not say.
    timeoutSeconds: Number(fn.inputs.timeout ?? 3),
    memoryMb: Number(fn.inputs.memorySize ?? 128),
    environment: env ?? {},
    logGroup: logging?.logGroup ?? `/aws/lambda/${name}`,
  };
}

function interpretClients(evaluation: Ok): LocalClient[] {
  const credentials = evaluation.resources.filter(
    (r) => r.type === "auth0:index/clientCredentials:ClientCredentials",
  );
  return evaluation.resources
    .filter((r) => r.type === "auth0:index/client:Client")
    .map((c) => {
      const clientId = String(c.state.clientId);
      const creds = credentials.find((cr) => cr.inputs.clientId === clientId);
      const jwt = c.inputs.jwtConfiguration as { lifetimeInSeconds?: number } | undefined;
      return {
        clientId,
        ...(creds?.state.clientSecret !== undefined
          ? { clientSecret: String(creds.state.clientSecret) }
          : {}),
        name: String(c.inputs.name ?? c.name),
        appType: String(c.inputs.appType ?? "regular_web"),
        callbacks: (c.inputs.callbacks as string[] | undefined) ?? [],
        logoutUrls: (c.inputs.allowedLogoutUrls as string[] | undefined) ?? [],
        webOrigins: (c.inputs.webOrigins as string[] | undefined) ?? [],
        grantTypes: (c.inputs.grantTypes as string[] | undefined) ?? ["authorization_code"],
        tokenEndpointAuthMethod: String(creds?.inputs.authenticationMethod ?? "client_secret_post"),
        ...(jwt?.lifetimeInSeconds !== undefined
          ? { idTokenLifetimeSeconds: jwt.lifetimeInSeconds }
          : {}),
      };
    });
}

function interpretResourceServers(evaluation: Ok): LocalResourceServer[] {
  const scopeSets = evaluation.resources.filter(
    (r) => r.type === "auth0:index/resourceServerScopes:ResourceServerScopes",
  );
  const userGrants = evaluation.resources.filter(
    (r) => r.type === "auth0:index/clientGrant:ClientGrant" && r.inputs.subjectType === "user",
  );
  return evaluation.resources
    .filter((r) => r.type === "auth0:index/resourceServer:ResourceServer")
    .map((rs) => {
      const identifier = String(rs.inputs.identifier);
      const scopes = scopeSets
        .filter((s) => s.inputs.resourceServerIdentifier === identifier)
        .flatMap((s) => (s.inputs.scopes as { name: string }[]).map((x) => x.name));
      const access = rs.inputs.subjectTypeAuthorization as
        { user?: { policy?: string } } | undefined;
      return {
        userAccessPolicy: access?.user?.policy ?? "allow_all",
        userGrants: Object.fromEntries(
          userGrants
            .filter((g) => g.inputs.audience === identifier)
            .map((g) => [
              String(g.inputs.clientId),
              (g.inputs.scopes as string[] | undefined) ?? [],
            ]),
        ),
        identifier,
        name: String(rs.inputs.name ?? rs.name),
        scopes,
        signingAlg: String(rs.inputs.signingAlg ?? "RS256"),
        ...(rs.inputs.tokenLifetime !== undefined
          ? { tokenLifetimeSeconds: Number(rs.inputs.tokenLifetime) }
          : {}),
      };
    });
}
