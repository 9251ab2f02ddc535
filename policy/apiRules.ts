import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { dependency, resourcesOf } from "./stackResources";
import { configSchema, known, packConfig, shown } from "./support";

export const routesRequireJwt: ResourceValidationPolicy = {
  name: "routes-require-jwt",
  description: "Every route not declared public (publicRoutes) uses a JWT authorizer.",
  configSchema: configSchema("publicRoutes"),
  validateResource: validateResourceOfType(aws.apigatewayv2.Route, (route, args, report) => {
    const { publicRoutes } = packConfig(args);
    if (publicRoutes.includes(route.routeKey)) return;
    const declared = `not declared public (publicRoutes: ${publicRoutes.join(", ") || "none"})`;
    if (route.authorizationType !== "JWT") {
      report(
        `route '${route.routeKey}' has authorization ${route.authorizationType ?? "NONE"}; it is ${declared} and needs the JWT authorizer`,
      );
    } else if (!known(() => route.authorizerId, "(not yet created)")) {
      report(`route '${route.routeKey}' asks for JWT but names no authorizer`);
    }
  }),
};

export const jwtAuthorizerSound: ResourceValidationPolicy = {
  name: "jwt-authorizer-issuer-and-audiences",
  description:
    "Every JWT authorizer trusts an https issuer written with its trailing '/' (as Auth0 puts it in 'iss') and at least one audience.",
  validateResource: validateResourceOfType(
    aws.apigatewayv2.Authorizer,
    (authorizer, _args, report) => {
      if (authorizer.authorizerType !== "JWT") return;
      const issuer = authorizer.jwtConfiguration?.issuer ?? "";
      let https = false;
      try {
        https = new URL(issuer).protocol === "https:";
      } catch {
        https = false;
      }
      if (!https || !issuer.endsWith("/")) {
        report(
          `authorizer ${shown(() => authorizer.name)} trusts issuer '${issuer}': expected an https URL ending in '/', compared exactly with a token's 'iss'`,
        );
      }
      const declared = authorizer.jwtConfiguration?.audiences ?? [];
      // One at a time: an application's client ID is not known before it exists, and it is
      // never empty.
      const audiences = Array.from({ length: declared.length }, (_, i) =>
        known(() => declared[i]!, "(not yet created)"),
      );
      if (audiences.length === 0 || audiences.some((a) => a.trim() === "")) {
        report(
          `authorizer ${shown(() => authorizer.name)} has audiences ${JSON.stringify(audiences)}: expected at least one, none empty`,
        );
      }
    },
  ),
};

export const functionTimeoutUnderIntegration: StackValidationPolicy = {
  name: "function-timeout-under-integration-timeout",
  description:
    "Every function ends before its integration gives up, so a slow call ends as the function's own error, not a 503.",
  validateStack: (args, report) => {
    const functions = resourcesOf(args.resources, aws.lambda.Function);
    for (const { r, p: integration } of resourcesOf(args.resources, aws.apigatewayv2.Integration)) {
      // By the engine's dependency, known at a first preview, where the function's ARN is not.
      const target = dependency(r, "integrationUri", "aws:lambda/function:Function");
      const fn = functions.find((f) => f.r === target)?.p;
      if (fn === undefined) continue;
      // Lambda's default timeout is 3 s; an HTTP API integration's, 30 s.
      const fnMs = (fn.timeout ?? 3) * 1000;
      const limitMs = integration.timeoutMilliseconds ?? 30000;
      if (fnMs >= limitMs) {
        report(
          `function ${fn.name} may run ${fnMs} ms, not less than its integration's ${limitMs} ms`,
        );
      }
    }
  },
};

export const logGroupsHaveRetention: ResourceValidationPolicy = {
  name: "log-groups-have-retention",
  description: "Every log group expires its events (CloudWatch keeps them forever otherwise).",
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, _args, report) => {
    if (!(group.retentionInDays !== undefined && group.retentionInDays > 0)) {
      report(`log group ${shown(() => group.name)} keeps its events forever: set retentionInDays`);
    }
  }),
};

export const stageThrottled: ResourceValidationPolicy = {
  name: "stage-throttled",
  description: "Every stage sets a steady rate and a burst limit for its routes.",
  validateResource: validateResourceOfType(aws.apigatewayv2.Stage, (stage, _args, report) => {
    const settings = stage.defaultRouteSettings;
    if (!((settings?.throttlingRateLimit ?? 0) > 0 && (settings?.throttlingBurstLimit ?? 0) > 0)) {
      report(
        `stage ${shown(() => stage.name)} has no throttling: set defaultRouteSettings.throttlingRateLimit and throttlingBurstLimit`,
      );
    }
  }),
};

/** Variables that would put a token, a header, a query string or a claim in the logs. */
const UNSAFE_LOG_VARIABLES =
  /\$request\.|\$context\.authorizer\.(?!error\b)|\$context\.identity\.userAgent/g;

export const stageAccessLogsSafe: ResourceValidationPolicy = {
  name: "stage-access-logs-without-headers-or-claims",
  description:
    "Every stage writes access logs, and their format reads no header, query string or claim.",
  validateResource: validateResourceOfType(aws.apigatewayv2.Stage, (stage, _args, report) => {
    const logs = stage.accessLogSettings;
    // The format first: the log group's ARN is not known until it exists.
    const format = logs?.format;
    for (const variable of new Set(format?.match(UNSAFE_LOG_VARIABLES) ?? [])) {
      report(
        `stage ${shown(() => stage.name)} logs '${variable}…', which carries request headers, query strings or claims`,
      );
    }
    if (!format || !known(() => logs?.destinationArn, "(not yet created)")) {
      report(`stage ${shown(() => stage.name)} writes no access logs: set accessLogSettings`);
    }
  }),
};
