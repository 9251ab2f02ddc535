/**
 * The console's HTTP side: the page and its assets, and a small JSON API over what the
 * environment serves. Nothing a client sends can crash it: every request gets an answer, a bad
 * one a 4xx with the reason in words.
 *
 *   GET  /api/stack     the stack as served (StackState)
 *   GET  /api/requests  the requests kept, oldest first
 *   GET  /api/tables    the program's tables and their first items, tokens masked (TablesView)
 *   GET  /api/events    the live feed (Server-Sent Events, see eventStream.ts)
 *   POST /api/token     a token from the built-in issuer (TokenRequest → TokenReply)
 *   POST /api/inspect   a token decoded and checked against every route ({ token } → Inspection)
 *   POST /api/try       a call to the API (TryRequest → TryReply)
 *   POST /api/replay    a kept request sent again, its token held here ({ requestId } → TryReply)
 *
 * The console holds tokens only in memory, for the request that carries them: it never writes
 * one to disk or to the terminal.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { asset } from "./assets";
import { EventStreams } from "./eventStream";
import { readBody } from "../server/httpServer";
import { isDirectHost, parseRequestTarget } from "../server/requestTarget";
import {
  handleInspect,
  handleInvoke,
  handleReplay,
  handleToken,
  handleTry,
  type ConsoleDeps,
  type PostHandler,
} from "./handlers";

export type { ConsoleDeps } from "./handlers";

/** A JSON body larger than this is refused (413): a token is a few kilobytes. */
export const MAX_CONSOLE_BODY_BYTES = 64 * 1024;

const POSTS: Record<string, PostHandler> = {
  "/api/token": handleToken,
  "/api/inspect": handleInspect,
  "/api/try": handleTry,
  "/api/invoke": handleInvoke,
  "/api/replay": handleReplay,
};

const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
};

const BAD_REQUEST_BODY = JSON.stringify({ message: "the request is not HTTP this console reads" });
const BAD_REQUEST =
  `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n` +
  `content-length: ${BAD_REQUEST_BODY.length}\r\nconnection: close\r\n\r\n${BAD_REQUEST_BODY}`;

export function createConsoleServer(deps: ConsoleDeps): { server: Server; streams: EventStreams } {
  const streams = new EventStreams(deps.activity, deps.stack, deps.streams, deps.log);
  // An event stream is a request long answered, not long sent: these bound the sending only.
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    route(req, res, deps, streams).catch((err: Error) => {
      if (!res.headersSent) json(res, 500, { message: `the console failed: ${err.message}` });
      else res.destroy();
    });
  });
  // Malformed HTTP (a request line Node's parser refuses): 400 and close, as Node's own default.
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end(BAD_REQUEST);
    else socket.destroy();
  });
  return { server, streams };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ConsoleDeps,
  streams: EventStreams,
): Promise<void> {
  // A name that resolves here by DNS rebinding is refused: the console hands out tokens.
  if (!isDirectHost(req.headers.host)) {
    return json(res, 403, { message: "the console answers on an IP address or localhost only" });
  }
  // Another site's page (an event stream opened in a loop, a form) is refused before any work:
  // browsers name the site a request comes from (Sec-Fetch-Site) and its origin.
  if (fromAnotherSite(req)) {
    return json(res, 403, { message: "the console answers its own page only, not another site's" });
  }
  const target = parseRequestTarget(req.url);
  if (target === undefined) return json(res, 400, { message: "the request target does not parse" });
  const path = target.rawPath;
  const post = POSTS[path];
  if (post !== undefined) {
    if (req.method !== "POST") return json(res, 405, { message: `${path} takes POST` }, "POST");
    const body = await readJson(req);
    if (!body.ok) return json(res, body.status, { message: body.message });
    const [status, reply] = await post(body.value, req, deps);
    return json(res, status, reply);
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    return json(res, 405, { message: `${path} takes GET` }, "GET, HEAD");
  }
  if (path === "/api/stack") return json(res, 200, deps.stack());
  if (path === "/api/requests") return json(res, 200, deps.activity.recent());
  if (path === "/api/tables") return json(res, 200, (await deps.tables?.()) ?? []);
  if (path.startsWith("/api/requests/")) {
    const detail = deps.activity.detailOf(path.slice("/api/requests/".length));
    return detail !== undefined
      ? json(res, 200, detail)
      : json(res, 404, { message: "no such request is kept (the console keeps the last 300)" });
  }
  if (path === "/api/events") {
    if (req.method === "GET") return streams.open(req, res);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
    return void res.end();
  }
  const found = await asset(path);
  if (found === undefined) return json(res, 404, { message: `no such page: ${path}` });
  res.writeHead(200, { ...SECURITY_HEADERS, "content-type": found.type });
  res.end(req.method === "HEAD" ? undefined : found.body);
}

/** A request a browser sent from a page of another origin than the console's own. */
function fromAnotherSite(req: IncomingMessage): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return true;
  const origin = req.headers.origin;
  return origin !== undefined && origin !== `http://${req.headers.host}`;
}

type JsonBody =
  { ok: true; value: Record<string, unknown> } | { ok: false; status: number; message: string };

/** The JSON object the request carries, or why it carries none. */
async function readJson(req: IncomingMessage): Promise<JsonBody> {
  const bad = (status: number, message: string): JsonBody => ({ ok: false, status, message });
  // A page elsewhere cannot send this type without a preflight, which the console never grants.
  if (!/^application\/json\b/.test(req.headers["content-type"] ?? "")) {
    req.resume();
    return bad(415, "expected a JSON body (content-type: application/json)");
  }
  const body = await readBody(req, MAX_CONSOLE_BODY_BYTES);
  if (body === undefined) {
    return bad(413, `the body is larger than ${MAX_CONSOLE_BODY_BYTES} bytes`);
  }
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
    return bad(400, "expected a JSON object");
  } catch {
    return bad(400, "the body is not JSON");
  }
}

function json(res: ServerResponse, status: number, body: unknown, allow?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...(allow !== undefined ? { allow } : {}),
  });
  res.end(text);
}
