/**
 * The stage's access-log line, one JSON object per request. Every field is a `$context` variable
 * AWS documents for HTTP API access logging; the error fields say why an authorizer or an
 * integration failed, which the status alone does not.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  httpMethod: "$context.httpMethod",
  path: "$context.path",
  routeKey: "$context.routeKey",
  protocol: "$context.protocol",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
};

export function accessLogFormat(): string {
  return JSON.stringify(ACCESS_LOG_FIELDS);
}
