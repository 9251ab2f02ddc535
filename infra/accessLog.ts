/**
 * The stage's access-log line, one JSON object per request. Every field is a `$context` variable
 * AWS documents for HTTP API access logging ("Customize HTTP API access logs"), named for a reader
 * of CloudWatch Logs Insights (`filter status >= 400 | stats count() by errorResponseType`).
 *
 * Never a header, a claim or a query string: no `$request.*`, no `$context.authorizer.claims.*`,
 * and not even `$context.identity.userAgent` (a request header). The error fields say why a
 * request failed, which the status alone does not.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  httpMethod: "$context.httpMethod",
  path: "$context.path",
  routeKey: "$context.routeKey",
  protocol: "$context.protocol",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  /** Why API Gateway itself answered: its message and its response type (`UNAUTHORIZED`, `THROTTLED`...). */
  errorMessage: "$context.error.message",
  errorResponseType: "$context.error.responseType",
  authorizerError: "$context.authorizer.error",
  integrationLatency: "$context.integrationLatency",
  /** The status the function returned (for a Lambda proxy integration, the handler's own). */
  functionStatus: "$context.integration.status",
  /** The status of the call to the Lambda service: 200 even when the handler answered 500. */
  lambdaInvokeStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
  /** Lambda's request ID for the invocation: the ID its log records carry, to join the two. */
  integrationRequestId: "$context.integration.requestId",
};

export function accessLogFormat(): string {
  return JSON.stringify(ACCESS_LOG_FIELDS);
}
