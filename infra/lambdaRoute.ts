import * as apigatewayv2 from "@pulumi/aws/apigatewayv2";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import type { HttpApi } from "./httpApi";
import { lambdaLogGroupName } from "./names";
import { grantsPolicy, lambdaAssumeRolePolicy, logWritePolicy } from "./policies";
import { route as declared, scopesOf, type RouteDeclaration } from "./routes";
import { parseRouteKey, permissionSourceArn } from "../facts/routeKeys";

export type { RouteAccess } from "./routes";

export interface LambdaRouteArgs extends RouteDeclaration {
  api: HttpApi;
  /** Physical function name; also names its role and log group. */
  functionName: string;
  memoryMb: number;
  timeoutSeconds: number;
  logRetentionDays: number;
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
export const LAMBDA_RUNTIME = lambda.Runtime.NodeJS22dX;

/**
 * One route of the HTTP API and the callback Lambda behind it: its own log group, a role that may
 * write there and do what the route's `permissions` grant (on this stack's resources), the
 * function, an AWS_PROXY integration (payload 2.0) and an invoke permission scoped to this API and
 * this route.
 */
export class LambdaRoute extends pulumi.ComponentResource {
  readonly fn: lambda.CallbackFunction<unknown, unknown>;
  readonly route: apigatewayv2.Route;

  constructor(name: string, args: LambdaRouteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("api-auth-jwt-auth0:api:LambdaRoute", name, {}, opts);
    const parent = { parent: this };
    const access = args.access ?? {};
    const scopes = scopesOf(access);
    declared(args.routeKey, args);
    validateIntegrationTimeout(args.routeKey, args.integrationTimeoutMs);
    if (!access.public) assertPreflightPasses(args.routeKey, args.api.corsEnabled);

    const { logGroup, role, logPolicy } = logsAndRole(name, args, parent);
    const grants =
      args.permissions !== undefined && args.permissions.length > 0
        ? [grantsOf(name, args, role, parent)]
        : [];

    this.fn = new lambda.CallbackFunction(
      `${name}-fn`,
      {
        name: args.functionName,
        callback: args.handler,
        role,
        runtime: LAMBDA_RUNTIME,
        architectures: ["arm64"],
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        ...(args.environment !== undefined ? { environment: { variables: args.environment } } : {}),
        loggingConfig: { logFormat: "JSON", ...args.logging, logGroup: logGroup.name },
        // The archive holds the handler and the packages it requires: never the local
        // environment's or the dev tools' (they are devDependencies; these are belt and braces).
        codePathOptions: { extraExcludePackages: ["jose", "oidc-provider"] },
      },
      // The log group, its write permission and the route's grants exist before it can run.
      { parent: this, dependsOn: [logGroup, logPolicy, ...grants] },
    );

    const integration = proxyIntegration(name, args, this.fn, this);
    this.route = new apigatewayv2.Route(
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
  fn: lambda.CallbackFunction<unknown, unknown>,
  parent: pulumi.Resource,
): apigatewayv2.Integration {
  const permission = new lambda.Permission(
    `${name}-invoke`,
    {
      action: "lambda:InvokeFunction",
      function: fn.name,
      principal: "apigateway.amazonaws.com",
      sourceArn: args.api.api.executionArn.apply((arn) => permissionSourceArn(arn, args.routeKey)),
    },
    { parent },
  );
  return new apigatewayv2.Integration(
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

function validateIntegrationTimeout(routeKey: string, ms: number | undefined): void {
  if (ms !== undefined && !(ms >= 50 && ms <= 30000)) {
    throw new TypeError(`route '${routeKey}': integrationTimeoutMs ${ms} is outside 50 to 30000`);
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
  const logGroup = new cloudwatch.LogGroup(
    `${name}-logs`,
    { name: lambdaLogGroupName(args.functionName), retentionInDays: args.logRetentionDays },
    parent,
  );
  const role = new iam.Role(
    `${name}-role`,
    { name: args.functionName, assumeRolePolicy: JSON.stringify(lambdaAssumeRolePolicy()) },
    parent,
  );
  const logPolicy = new iam.RolePolicy(
    `${name}-logs-write`,
    {
      role: role.id,
      policy: logGroup.arn.apply((arn) => JSON.stringify(logWritePolicy(arn))),
    },
    parent,
  );
  return { logGroup, role, logPolicy };
}

/**
 * The route's `permissions` as one inline policy of its role: each statement on the ARNs of the
 * resources it names, checked once they are known (an ARN, never a wildcard).
 */
function grantsOf(
  name: string,
  args: LambdaRouteArgs,
  role: iam.Role,
  parent: pulumi.CustomResourceOptions,
): iam.RolePolicy {
  const statements = (args.permissions ?? []).map((grant) =>
    pulumi.all(grant.resources).apply((resources) => ({ actions: grant.actions, resources })),
  );
  return new iam.RolePolicy(
    `${name}-grants`,
    {
      role: role.id,
      policy: pulumi
        .all(statements)
        .apply((resolved) => JSON.stringify(grantsPolicy(args.routeKey, resolved))),
    },
    parent,
  );
}
