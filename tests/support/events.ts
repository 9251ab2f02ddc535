import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";

/**
 * Payload 2.0 events as API Gateway sends them to a Lambda proxy integration (shape from AWS's
 * "Working with AWS Lambda proxy integrations for HTTP APIs" page). Shared by every test that
 * needs an event.
 */
export function httpEvent(overrides: {
  routeKey: string;
  rawPath: string;
  headers?: Record<string, string>;
}): APIGatewayProxyEventV2 {
  const [method] = overrides.routeKey.split(" ");
  return {
    version: "2.0",
    routeKey: overrides.routeKey,
    rawPath: overrides.rawPath,
    rawQueryString: "",
    headers: { host: "abc123.execute-api.us-east-1.amazonaws.com", ...overrides.headers },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc123",
      http: {
        method: method ?? "GET",
        path: overrides.rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "192.0.2.1",
        userAgent: "test-agent",
      },
      requestId: "Mc7UVioPPHcEKPA=",
      routeKey: overrides.routeKey,
      stage: "$default",
      time: "28/Nov/2026:12:00:00 +0000",
      timeEpoch: 1795867200000,
    },
    isBase64Encoded: false,
  };
}

/** An event for a JWT route: claims as API Gateway passes them, every value a string. */
export function jwtEvent(overrides: {
  routeKey: string;
  rawPath: string;
  claims: Record<string, string>;
  scopes?: string[] | null;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const base = httpEvent(overrides);
  return {
    ...base,
    requestContext: {
      ...base.requestContext,
      // No principalId or integrationLatency: observed absent for JWT authorizers.
      authorizer: { jwt: { claims: overrides.claims, scopes: overrides.scopes ?? null } },
    },
  };
}
