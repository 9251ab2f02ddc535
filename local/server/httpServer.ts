import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { gatewayResponse, type HttpResponse } from "../gateway/gatewayResponses";
import { newRequestId } from "../gateway/randomIds";
import type { GatewayRequest } from "../gateway/request";
import { NO_ROUTE, type Gateway, type RequestOutcome } from "../gateway/gateway";
import { parseRequestTarget, type RequestTarget } from "./requestTarget";
import { DETAIL_BODY_BYTES, type RequestDetail, type ServedRequest } from "./servedRequest";
import { isUtf8 } from "node:buffer";

export type { ServedRequest } from "./servedRequest";

/** API Gateway's payload quota for HTTP APIs: 10 MB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** API Gateway's quota: "total combined size of request line and header values", 10,240 bytes. */
export const MAX_REQUEST_LINE_AND_HEADERS_BYTES = 10_240;

/**
 * Node's own limits sit well above the gateway's, so that the gateway decides what a client gets:
 * headers up to 64 KiB and any number of them reach the size check below. Past 64 KiB Node stops
 * reading and `clientError` gives the same answer.
 */
export const NODE_LIMITS = {
  maxHeaderSize: 65_536,
  requestTimeout: 60_000,
  headersTimeout: 15_000,
  keepAliveTimeout: 5_000,
  // Node checks the two timeouts above only this often (30 s by default): a client sending a
  // header byte now and then was held for up to 45 s instead of 15.
  connectionsCheckingInterval: 1_000,
};

/**
 * The size of the request line and the headers as API Gateway counts them. Whether AWS counts
 * header names too is UNCONFIRMED: we count them, the stricter reading.
 */
export function requestLineAndHeadersBytes(
  req: Pick<IncomingMessage, "method" | "url" | "httpVersion" | "rawHeaders">,
): number {
  let size = Buffer.byteLength(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
  for (const part of req.rawHeaders) size += Buffer.byteLength(part);
  return size;
}

export interface GatewayServerOptions {
  /** The gateway serving now; hot reload swaps it. */
  current: () => Gateway;
  log: (line: string) => void;
  /** Told of each request once it is answered (the console's live requests). */
  observe?: (served: ServedRequest, detail: () => RequestDetail) => void;
  /** Node's limits; tests shorten the timeouts. */
  limits?: Partial<typeof NODE_LIMITS>;
}

/**
 * The local HTTP API's socket side: reads each request (bounded), hands it to the current
 * gateway, writes the answer with an `apigw-requestid` header, and logs one line per request.
 * Nothing a client sends can crash it: every failure becomes the gateway's 500.
 */
export function createGatewayServer(options: GatewayServerOptions): Server {
  const server = createServer({ ...NODE_LIMITS, ...options.limits }, (req, res) => {
    void serve(req, res, options);
  });
  // 0: no limit on the number of headers (Node's default of 2,000 silently drops the rest).
  server.maxHeadersCount = 0;
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    // Malformed HTTP never reaches a route; answer as a gateway would and close.
    const response = gatewayResponse(
      err.code === "HPE_HEADER_OVERFLOW"
        ? "Request Header Fields Too Large"
        : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? "Request Timeout"
          : "Bad Request",
    );
    socket.end(
      `HTTP/1.1 ${response.statusCode} ${STATUS_CODES[response.statusCode]}\r\n` +
        `content-length: ${response.body.length}\r\n` +
        `apigw-requestid: ${newRequestId()}\r\nconnection: close\r\n\r\n${response.body.toString()}`,
    );
  });
  return server;
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  options: GatewayServerOptions,
): Promise<void> {
  const started = process.hrtime.bigint();
  const receivedAt = Date.now();
  const requestId = newRequestId();
  // A target that does not parse is logged up to its query, which may carry a token.
  const target = parseRequestTarget(req.url);
  const rawPath = target?.rawPath ?? (req.url ?? "").split("?")[0]!;
  let response: HttpResponse;
  let outcome: RequestOutcome = NO_ROUTE;
  try {
    const read = await readRequest(req, target, { receivedAt, requestId });
    if ("statusCode" in read) response = read;
    else
      ({ response, outcome } = await options
        .current()
        .handle({ ...read, abandoned: leaving(res) }));
  } catch (err) {
    options.log(`internal error: ${(err as Error).message}`);
    response = gatewayResponse("Internal Server Error");
  }
  if (res.destroyed) return;
  try {
    write(res, response, requestId, req.method === "HEAD");
  } catch (err) {
    // Node refused the answer (a header it will not send): this request gets the gateway's 500,
    // every other one is unaffected. The response mapper refuses such headers first.
    options.log(`internal error: ${(err as Error).message}`);
    response = gatewayResponse("Internal Server Error");
    if (!res.headersSent) write(res, response, requestId, false);
    else res.destroy();
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // The path only: a query string may carry a token when the identity source is a query parameter.
  // API Gateway's request ID, and Lambda's when a function ran: its records name that one.
  const integration =
    outcome.integrationRequestId !== undefined
      ? ` integrationRequestId=${outcome.integrationRequestId}`
      : "";
  // Labelled: the time it arrived (UTC, as Lambda's records), then what API Gateway did with it.
  const at = new Date(receivedAt).toISOString().slice(11, 23);
  options.log(
    `${at} ${req.method} ${rawPath} route=${outcome.routeKey} status=${response.statusCode} duration=${ms.toFixed(1)}ms authorizer=${outcome.authorizer} requestId=${requestId}${integration}`,
  );
  // Optional call: with no observer (no console) nothing is built.
  options.observe?.(
    {
      requestId,
      receivedAt,
      method: req.method ?? "GET",
      path: rawPath,
      routeKey: outcome.routeKey,
      status: response.statusCode,
      latencyMs: ms,
      authorizer: outcome.authorizer,
      ...(outcome.integrationRequestId !== undefined
        ? { integrationRequestId: outcome.integrationRequestId }
        : {}),
    },
    // The details are built only if the console keeps them.
    () => requestDetail(outcome.event, response),
  );
}

/** The request as the gateway reads it, or the gateway's answer to one it cannot read. */
/** Aborted when the client closes its connection before its answer is written. */
function leaving(res: ServerResponse): AbortSignal {
  const gone = new AbortController();
  res.once("close", () => !res.writableFinished && gone.abort());
  return gone.signal;
}

async function readRequest(
  req: IncomingMessage,
  target: RequestTarget | undefined,
  at: Pick<GatewayRequest, "receivedAt" | "requestId">,
): Promise<GatewayRequest | HttpResponse> {
  if (target === undefined) {
    req.resume();
    return gatewayResponse("Bad Request");
  }
  if (requestLineAndHeadersBytes(req) > MAX_REQUEST_LINE_AND_HEADERS_BYTES) {
    req.resume();
    return gatewayResponse("Request Header Fields Too Large");
  }
  const body = await readBody(req);
  if (body === undefined) return gatewayResponse("Request Entity Too Large");
  return {
    method: req.method ?? "GET",
    ...target,
    rawHeaders: req.rawHeaders,
    body,
    sourceIp: (req.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
    localPort: req.socket.localPort ?? 0,
    protocol: `HTTP/${req.httpVersion}`,
    ...at,
  };
}

/** Writes an answer with the gateway's own framing: its length and its request ID. */
function write(
  res: ServerResponse,
  response: HttpResponse,
  requestId: string,
  head: boolean,
): void {
  // One flat list of name/value pairs: Node writes it without building a headers object.
  const headers: string[] = [];
  for (const name in response.headers) {
    const value = response.headers[name]!;
    if (typeof value === "string") headers.push(name, value);
    else for (const v of value) headers.push(name, v);
  }
  // RFC 9110 §8.6: no Content-Length in a 1xx or 204 response.
  if (response.statusCode !== 204) headers.push("content-length", String(response.body.length));
  headers.push("apigw-requestid", requestId);
  res.writeHead(response.statusCode, headers);
  res.end(head ? undefined : response.body);
}

const EMPTY = Buffer.alloc(0);

/**
 * The body, or undefined past `maxBytes` (the rest is drained, not kept). The API reads up to
 * the payload quota; the console, less.
 */
export async function readBody(
  req: IncomingMessage,
  maxBytes = MAX_BODY_BYTES,
): Promise<Buffer | undefined> {
  // Without Content-Length or Transfer-Encoding a request has no body (RFC 9112 §6.3).
  if (
    req.headers["content-length"] === undefined &&
    req.headers["transfer-encoding"] === undefined
  ) {
    return EMPTY;
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBytes) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A request's details as the console keeps them: references, cut and copied by the console. */
function requestDetail(event: string | undefined, response: HttpResponse): RequestDetail {
  const kept = response.body.subarray(0, DETAIL_BODY_BYTES);
  const text = isUtf8(response.body);
  return {
    ...(event !== undefined ? { event } : {}),
    response: {
      status: response.statusCode,
      headers: response.headers,
      body: kept.toString(text ? "utf8" : "base64"),
      bodyEncoding: text ? "utf8" : "base64",
      bodyBytes: response.body.length,
    },
  };
}
