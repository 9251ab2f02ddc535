import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gatewayResponse, type HttpResponse } from "../gateway/gatewayResponses";
import { splitTarget, type GatewayRequest } from "../gateway/request";
import type { Gateway, RequestOutcome } from "./gateway";

/** API Gateway's payload quota for HTTP APIs: 10 MB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** `Mc7UVioPPHcEKPA=`: 16 characters of base64 ending in `=`, the shape AWS's IDs have. */
export function newRequestId(): string {
  return randomBytes(11).toString("base64");
}

export interface GatewayServerOptions {
  /** The gateway serving now; hot reload swaps it. */
  current: () => Gateway;
  log: (line: string) => void;
}

/**
 * The local HTTP API's socket side: reads each request (bounded), hands it to the current
 * gateway, writes the answer with an `apigw-requestid` header, and logs one line per request.
 * Nothing a client sends can crash it: every failure becomes the gateway's 500.
 */
export function createGatewayServer(options: GatewayServerOptions): Server {
  const server = createServer(
    { requestTimeout: 60_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 },
    (req, res) => {
      void serve(req, res, options);
    },
  );
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    // Malformed HTTP never reaches a route; answer as a gateway would and close.
    const status = err.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    const body = JSON.stringify({
      message: status === 431 ? "Request Header Fields Too Large" : "Bad Request",
    });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? "Request Header Fields Too Large" : "Bad Request"}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
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
  const requestId = newRequestId();
  const { rawPath, rawQueryString } = splitTarget(req.url ?? "/");
  let response: HttpResponse;
  let outcome: RequestOutcome = { routeKey: "-", authorizer: "-" };
  try {
    const body = await readBody(req);
    if (body === undefined) {
      response = gatewayResponse("Request Entity Too Large");
    } else {
      const request: GatewayRequest = {
        method: req.method ?? "GET",
        rawPath,
        rawQueryString,
        rawHeaders: req.rawHeaders,
        body,
        sourceIp: (req.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
        protocol: `HTTP/${req.httpVersion}`,
        receivedAt: Date.now(),
        requestId,
      };
      ({ response, outcome } = await options.current().handle(request));
    }
  } catch (err) {
    options.log(`internal error: ${(err as Error).message}`);
    response = gatewayResponse("Internal Server Error");
  }
  if (res.destroyed) return;
  res.statusCode = response.statusCode;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader("content-length", response.body.length);
  res.setHeader("apigw-requestid", requestId);
  res.end(req.method === "HEAD" ? undefined : response.body);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // The path only: a query string may carry a token when the identity source is a query parameter.
  options.log(
    `${req.method} ${rawPath} ${outcome.routeKey} ${response.statusCode} ${ms.toFixed(1)}ms authorizer=${outcome.authorizer}`,
  );
}

/** The body, or undefined past the payload quota (the rest is drained, not kept). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
