import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { newTraceId } from "./randomIds";
import { nameMap } from "../nameMap";
import { integrationPath, joinedHeaders, parseQueryString, type GatewayRequest } from "./request";

export interface EventContext {
  accountId: string;
  apiId: string;
  routeKey: string;
  pathParameters: Record<string, string>;
  /** Present on JWT routes: formatted claims, and scopes (null when the route requires none). */
  jwt?: { claims: Record<string, string>; scopes: string[] | null };
  /** The stage's variables; omitted from the event when there are none. */
  stageVariables?: Record<string, string>;
}

/**
 * Bodies API Gateway passes as UTF-8 text; everything else (a missing content type and
 * `application/x-www-form-urlencoded` included) arrives base64-encoded. Measured against AWS by
 * ministack PR #766; HTTP APIs have no binaryMediaTypes setting.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mime = contentType.split(";")[0]!.trim().toLowerCase();
  return (
    mime.startsWith("text/") ||
    mime === "application/json" ||
    mime === "application/xml" ||
    mime === "application/javascript"
  );
}

/**
 * The payload 2.0 event for a Lambda proxy integration ("Working with AWS Lambda proxy
 * integrations for HTTP APIs"): lowercased headers with duplicates comma-joined, the `cookie`
 * header moved to `cookies`, decoded query parameters (duplicates comma-joined) beside the raw
 * query string, optional fields omitted rather than null. Never throws, whatever the request.
 */
export function buildEvent(
  request: GatewayRequest,
  ctx: EventContext,
  /** The request's headers as `joinedHeaders` gives them, when the caller has them already. */
  joined: Record<string, string> = joinedHeaders(request.rawHeaders),
): APIGatewayProxyEventV2 {
  const headers = Object.assign(nameMap(), joined);
  // Every Cookie header goes to `cookies`, one entry per cookie, and leaves `headers` (OBS).
  delete headers.cookie;
  addForwardingHeaders(headers, request);
  const cookies = cookiesOf(request.rawHeaders);
  const path = integrationPath(request.rawPath);
  const host = headers.host ?? "";
  const isText = isTextContentType(headers["content-type"]);
  const query = parseQueryString(request.rawQueryString);

  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: ctx.routeKey,
    rawPath: path,
    rawQueryString: request.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query !== undefined ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      ...(ctx.jwt !== undefined ? { authorizer: { jwt: ctx.jwt } } : {}),
      // The host the client called, as AWS reports a custom domain: handlers that build links
      // back to the API then get working local URLs.
      domainName: host,
      domainPrefix: host.split(".")[0]!,
      http: {
        method: request.method,
        path,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: request.requestId,
      routeKey: ctx.routeKey,
      stage: "$default",
      time: clfTime(request.receivedAt),
      timeEpoch: request.receivedAt,
    },
    ...(Object.keys(ctx.pathParameters).length > 0 ? { pathParameters: ctx.pathParameters } : {}),
    ...(ctx.stageVariables !== undefined && Object.keys(ctx.stageVariables).length > 0
      ? { stageVariables: ctx.stageVariables }
      : {}),
    ...(request.body.length > 0
      ? { body: isText ? request.body.toString("utf8") : request.body.toString("base64") }
      : {}),
    isBase64Encoded: request.body.length > 0 && !isText,
  } as APIGatewayProxyEventV2;
  return event;
}

/**
 * The headers API Gateway adds before the integration sees a request (a live event: hotsock/voker
 * testdata, and DefinitelyTyped PR #75458): `x-forwarded-for` (the client's address, appended to
 * what the client sent, as a proxy does), `x-forwarded-port` and `x-forwarded-proto` (AWS's are
 * `443` and `https`; locally the port and scheme the client really used, so links a handler
 * builds from them work), an `x-amzn-trace-id` in X-Ray's format when the client sent none, and
 * `content-length`: the body's length (API Gateway buffers it: a chunked request arrives with its
 * length and without `transfer-encoding`), and `0` for a request with none (OBS: a bodiless curl
 * GET arrives with `"content-length": "0"`, aws-lambda-go
 * `events/testdata/apigw-v2-request-no-authorizer.json`).
 */
function addForwardingHeaders(headers: Record<string, string>, request: GatewayRequest): void {
  const forwardedFor = headers["x-forwarded-for"];
  headers["x-forwarded-for"] =
    forwardedFor === undefined ? request.sourceIp : `${forwardedFor}, ${request.sourceIp}`;
  headers["x-forwarded-port"] = String(request.localPort);
  headers["x-forwarded-proto"] = "http";
  headers["x-amzn-trace-id"] ??= newTraceId(request.receivedAt);
  delete headers["transfer-encoding"];
  headers["content-length"] = String(request.body.length);
}

function cookiesOf(rawHeaders: readonly string[]): string[] {
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== "cookie") continue;
    for (const cookie of rawHeaders[i + 1]!.split(";")) {
      if (cookie.trim() !== "") cookies.push(cookie.trim());
    }
  }
  return cookies;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `28/Nov/2026:12:00:00 +0000`: the CLF time the doc's example shows. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}
