import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HttpApi } from "./httpApi";
import { lambdaLogGroupName } from "./names";
import { lambdaAssumeRolePolicy, logWritePolicy } from "./policies";
import { parseRouteKey, permissionSourceArn } from "../facts/routeKeys";

/** Who may call a route. Routes are protected unless they say `public`. */
export type RouteAccess = { public: true } | { public?: false; scopes?: string[] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = aws.lambda.Callback<any, any>;

export interface LambdaRouteArgs {
  api: HttpApi;
  /** `GET /private`, `ANY /{proxy+}`, `$default`. */
  routeKey: string;
  /** The handler; its code is serialized into the function's archive. */
  handler: Handler;
  /** Physical function name; also names its role and log group. */
  functionName: string;
  /** Default: protected by the API's JWT authorizer, no scopes required. */
  access?: RouteAccess;
  memoryMb: number;
  timeoutSeconds: number;
  logRetentionDays: number;
  /** Scopes the API defines: a route may only require these. */
  knownScopes: string[];
  /** How long API Gateway waits for the function (50 to 30000 ms). Default 30000. */
  integrationTimeoutMs?: number;
  /**
   * The function's log format and levels. Default JSON records at Lambda's default levels (INFO
   * for the function's and the platform's): `console.debug` and `console.trace` write nothing.
   */
  logging?: {
    logFormat?: "JSON" | "Text";
    applicationLogLevel?: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";
    systemLogLevel?: "DEBUG" | "INFO" | "WARN";
  };
}

/** The runtime every route's function runs on (arm64: cheaper per GB-second than x86_64). */
export const LAMBDA_RUNTIME = aws.lambda.Runtime.NodeJS22dX;

/**
 * One route of the HTTP API and the callback Lambda behind it: its own log group, a role that may
 * only write there, the function, an AWS_PROXY integration (payload 2.0) and an invoke permission
 * scoped to this API and this route.
 */
export class LambdaRoute extends pulumi.ComponentResource {
  readonly fn: aws.lambda.CallbackFunction<unknown, unknown>;
  readonly route: aws.apigatewayv2.Route;

  constructor(name: string, args: LambdaRouteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("api-auth-jwt-auth0:api:LambdaRoute", name, {}, opts);
    const parent = { parent: this };
    const access = args.access ?? {};
    const scopes = access.public ? [] : (access.scopes ?? []);
    validateRoute(args.routeKey, scopes, args.knownScopes, args.integrationTimeoutMs);
    if (!access.public) assertPreflightPasses(args.routeKey, args.api.corsEnabled);

    const { logGroup, role, logPolicy } = logsAndRole(name, args, parent);

    this.fn = new aws.lambda.CallbackFunction(
      `${name}-fn`,
      {
        name: args.functionName,
        callback: args.handler,
        role,
        runtime: LAMBDA_RUNTIME,
        architectures: ["arm64"],
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        loggingConfig: { logFormat: "JSON", ...args.logging, logGroup: logGroup.name },
        // The archive holds the handler and the packages it requires: never the local
        // environment's or the dev tools' (they are devDependencies; these are belt and braces).
        codePathOptions: { extraExcludePackages: ["jose", "oidc-provider"] },
      },
      // The log group and its write permission exist before the function can run.
      { parent: this, dependsOn: [logGroup, logPolicy] },
    );

    const integration = proxyIntegration(name, args, this.fn, this);
    this.route = new aws.apigatewayv2.Route(
      `${name}-route`,
      {
        apiId: args.api.api.id,
        routeKey: args.routeKey,
        target: pulumi.interpolate`integrations/${integration.id}`,
        ...(access.public
          ? { authorizationType: "NONE" }
          : {
              authorizationType: "JWT",
              authorizerId: args.api.authorizer.id,
              ...(scopes.length > 0 ? { authorizationScopes: scopes } : {}),
            }),
      },
      parent,
    );
    this.registerOutputs({ functionName: this.fn.name, routeId: this.route.id });
  }
}

/**
 * The AWS_PROXY integration (payload 2.0) of a route's function, created once API Gateway may
 * invoke the function, and only for this API and this route.
 */
function proxyIntegration(
  name: string,
  args: LambdaRouteArgs,
  fn: aws.lambda.CallbackFunction<unknown, unknown>,
  parent: pulumi.Resource,
): aws.apigatewayv2.Integration {
  const permission = new aws.lambda.Permission(
    `${name}-invoke`,
    {
      action: "lambda:InvokeFunction",
      function: fn.name,
      principal: "apigateway.amazonaws.com",
      sourceArn: args.api.api.executionArn.apply((arn) => permissionSourceArn(arn, args.routeKey)),
    },
    { parent },
  );
  return new aws.apigatewayv2.Integration(
    `${name}-integration`,
    {
      apiId: args.api.api.id,
      integrationType: "AWS_PROXY",
      integrationMethod: "POST",
      integrationUri: fn.arn,
      payloadFormatVersion: "2.0",
      // API Gateway's ceiling for HTTP APIs by default; past it the caller gets 503.
      timeoutMilliseconds: args.integrationTimeoutMs ?? 30000,
    },
    { parent, dependsOn: [permission] },
  );
}

function validateRoute(
  routeKey: string,
  scopes: string[],
  knownScopes: string[],
  integrationTimeoutMs: number | undefined,
): void {
  parseRouteKey(routeKey);
  if (
    integrationTimeoutMs !== undefined &&
    !(integrationTimeoutMs >= 50 && integrationTimeoutMs <= 30000)
  ) {
    throw new TypeError(
      `route '${routeKey}': integrationTimeoutMs ${integrationTimeoutMs} is outside 50 to 30000`,
    );
  }
  // AWS allows at most 10 authorization scopes per route.
  if (scopes.length > 10)
    throw new TypeError(`route '${routeKey}' requires ${scopes.length} scopes; the limit is 10`);
  const unknown = scopes.filter((s) => !knownScopes.includes(s));
  if (unknown.length > 0) {
    throw new TypeError(
      `route '${routeKey}' requires scope(s) ${unknown.join(", ")} that the API does not define (apiScopes: ${knownScopes.join(", ")})`,
    );
  }
}

/**
 * With CORS configured, API Gateway answers a browser's preflight (`OPTIONS`, never carrying a
 * token) itself only when no route takes it; an `ANY` or `OPTIONS` route, or `$default`, does,
 * and a JWT authorizer on it refuses the preflight with 401, so the browser never sends the real
 * request (CORS-DOC; anomalyco/sst#5493). A protected route therefore names its method.
 */
export function assertPreflightPasses(routeKey: string, corsEnabled: boolean): void {
  if (!corsEnabled) return;
  const { method, path } = parseRouteKey(routeKey);
  if (method === "ANY" || method === "OPTIONS" || path === "$default") {
    throw new TypeError(
      `route '${routeKey}' needs a JWT but would also catch browsers' CORS preflight (OPTIONS), ` +
        "which carries no token and would be refused with 401: name the route's method " +
        "(GET, POST, ...) or make it public",
    );
  }
}

/** The function's log group, and its role: allowed to write to that log group and nothing else. */
function logsAndRole(name: string, args: LambdaRouteArgs, parent: pulumi.CustomResourceOptions) {
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { name: lambdaLogGroupName(args.functionName), retentionInDays: args.logRetentionDays },
    parent,
  );
  const role = new aws.iam.Role(
    `${name}-role`,
    { name: args.functionName, assumeRolePolicy: JSON.stringify(lambdaAssumeRolePolicy()) },
    parent,
  );
  const logPolicy = new aws.iam.RolePolicy(
    `${name}-logs-write`,
    {
      role: role.id,
      policy: logGroup.arn.apply((arn) => JSON.stringify(logWritePolicy(arn))),
    },
    parent,
  );
  return { logGroup, role, logPolicy };
}
