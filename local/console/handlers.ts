/**
 * The console's POST endpoints, each a check of its input and a call to the piece that does the
 * work. Each answers `[status, body]`; a refusal's body is `{ message }`.
 */
import type { IncomingMessage } from "node:http";
import type {
  ErrorReply,
  Inspection,
  InvokeReply,
  TokenReply,
  TryReply,
  TablesView,
} from "./consoleApi";
import { isScopeToken } from "../../facts/auth0";
import { isLoopbackHost } from "../../facts/loopback";
import type { KeyResolver } from "../authorizer/jwtAuthorizer";
import type { Gateway } from "../gateway/gateway";
import type { LocalModel } from "../interpret/model";
import type { TokenSource } from "../login/tokenRequest";
import type { Activity } from "./activity";
import type { StackState } from "./consoleApi";
import type { EventStreamOptions } from "./eventStream";
import { inspectToken, tokenIn } from "./tokenCheck";
import { curlLine, tryRequestProblem, tryRoute } from "./tryRoute";
import { maskQueryString } from "./masking";

export interface ConsoleDeps {
  activity: Activity;
  stack: () => StackState;
  /** The model the gateway serves now. */
  served: () => LocalModel;
  /** The gateway serving now: a direct invocation runs on its functions. */
  gateway: () => Gateway;
  keysFor: (issuer: string) => KeyResolver;
  /** The program's tables and their first items, tokens masked (`GET /api/tables`). */
  tables?: () => Promise<TablesView>;
  /** The built-in issuer's sign-in; undefined with an external issuer (tokens are pasted). */
  tokenSource: () => TokenSource | undefined;
  /** Whether a client off this machine may get tokens: only when the issuer listens beyond it. */
  tokensForRemoteClients: boolean;
  /** The API's endpoint as printed (the `curl` lines use it). */
  apiEndpoint: string;
  /** The same, as this process reaches it (loopback for a wildcard host). */
  apiReachable: string;
  /** Milliseconds since the epoch. */
  clock: () => number;
  streams?: Partial<EventStreamOptions>;
  /** Where a failure outside any request (the live feed's timers) is said. */
  log: (line: string) => void;
}

export type PostHandler = (
  body: Record<string, unknown>,
  req: IncomingMessage,
  deps: ConsoleDeps,
) => Promise<[number, TokenReply | Inspection | TryReply | InvokeReply | ErrorReply]>;

/** Lambda's synchronous invocation payload limit, 6 MB: a bigger event is refused, as there. */
const MAX_EVENT_BYTES = 6 * 1024 * 1024;

/** `{ "function": name, "event": JSON text }`: the function run with that event, directly. */
export const handleInvoke: PostHandler = async (body, _req, deps) => {
  const { function: name, event } = body;
  if (typeof name !== "string" || typeof event !== "string") {
    return [400, { message: 'expected {"function": "<name>", "event": "<JSON text>"}' }];
  }
  try {
    JSON.parse(event);
  } catch (err) {
    return [400, { message: `the event is not JSON: ${(err as Error).message}` }];
  }
  if (Buffer.byteLength(event) > MAX_EVENT_BYTES) {
    return [413, { message: "the event is over Lambda's 6 MB payload limit" }];
  }
  const invoked = await deps.gateway().invokeFunction(name, event);
  if (invoked === undefined) return [404, { message: `the program has no function ${name}` }];
  const { integrationRequestId: requestId, result } = invoked;
  const logs = deps.activity.linesOf(requestId);
  if (result.kind === "ok") {
    return [200, { requestId, outcome: "ok", payload: JSON.stringify(result.payload), logs }];
  }
  const error =
    result.kind === "error"
      ? `${result.errorType}: ${result.errorMessage}`
      : result.kind === "crash"
        ? result.reason
        : "the function ran past its timeout";
  return [200, { requestId, outcome: result.kind, error, logs }];
};

/** A username the issuer's form would take: a line of text, not too long. */
const USERNAME = /^[^\x00-\x1f\x7f]{1,256}$/;

export const handleToken: PostHandler = async (body, req, deps) => {
  const source = deps.tokenSource();
  if (source === undefined) {
    return [409, { message: "this environment trusts an external issuer: paste a token from it" }];
  }
  if (!deps.tokensForRemoteClients && !isLoopbackHost(req.socket.remoteAddress ?? "")) {
    return [
      403,
      {
        message:
          "tokens are handed to this machine only, as the built-in issuer signs in on loopback (see --issuer-host)",
      },
    ];
  }
  const { username, kind, audience, scopes } = body;
  if (typeof username !== "string" || !USERNAME.test(username)) {
    return [400, { message: "username: expected 1 to 256 characters on one line" }];
  }
  if (kind !== "id" && kind !== "access") {
    return [400, { message: 'kind: expected "id" or "access"' }];
  }
  if (audience !== undefined && !source.apiIdentifiers.includes(audience as string)) {
    return [400, { message: `audience: expected one of ${source.apiIdentifiers.join(", ")}` }];
  }
  if (
    scopes !== undefined &&
    (!Array.isArray(scopes) || !scopes.every((s) => typeof s === "string" && isScopeToken(s)))
  ) {
    return [400, { message: "scopes: expected a list of scope names" }];
  }
  try {
    // Loaded on first use: with the sign-in's libraries (oauth4webapi, tough-cookie) it took
    // 0.11-0.14 s to load, measured, on every start, for a button not everyone presses. A
    // require, not import(): under tsx/cjs (npm start) import() goes to Node's ESM loader, which
    // does not find a .ts file by a path without its extension.
    const { requestToken } = loadTokenRequest();
    const issued = await requestToken(source, {
      username,
      access: kind === "access",
      ...(audience !== undefined ? { audience: audience as string } : {}),
      ...(scopes !== undefined ? { scopes: scopes as string[] } : {}),
    });
    return [200, { token: issued.token, dropped: issued.dropped }];
  } catch (err) {
    return [
      502,
      { message: `the built-in issuer did not give a token: ${(err as Error).message}` },
    ];
  }
};

export const handleInspect: PostHandler = async (body, _req, deps) => {
  const token = tokenIn(body.token);
  if (token === undefined) return [400, { message: "token: expected the token's text" }];
  const now = Math.floor(deps.clock() / 1000);
  return [200, await inspectToken(token, deps.served(), { ...deps, now })];
};

export const handleTry: PostHandler = async (body, _req, deps) => {
  const problem = tryRequestProblem(body);
  if (problem !== undefined) return [400, { message: problem }];
  const token = tokenIn(body.token);
  const call = {
    method: body.method as string,
    path: body.path as string,
    ...(token !== undefined ? { token } : {}),
  };
  try {
    const answer = await tryRoute(deps.apiReachable, call);
    return [200, { ...answer, curl: curlLine(deps.apiEndpoint, call) }];
  } catch (err) {
    return [502, { message: `the API did not answer: ${(err as Error).message}` }];
  }
};

/**
 * `{ "requestId": … }`: a kept request sent again, with the token it carried, which the console
 * holds in memory and never shows (its details have it masked); the curl line names it `$TOKEN`.
 */
export const handleReplay: PostHandler = async (body, _req, deps) => {
  const { requestId } = body;
  if (typeof requestId !== "string")
    return [400, { message: "requestId: expected a kept request's ID" }];
  const source = deps.activity.replayOf(requestId);
  if (source === undefined) {
    return [404, { message: "no such request is kept (the console keeps the last 300)" }];
  }
  const token = tokenIn(source.authorization);
  const withQuery = (query: string) => `${source.path}${query !== "" ? `?${query}` : ""}`;
  const path = withQuery(source.query);
  const call = { method: source.method, path, ...(token !== undefined ? { token } : {}) };
  const shown = {
    method: source.method,
    path: withQuery(maskQueryString(source.query)),
    ...(token !== undefined ? { token: "$TOKEN" } : {}),
  };
  try {
    const answer = await tryRoute(deps.apiReachable, call);
    return [200, { ...answer, curl: curlLine(deps.apiEndpoint, shown) }];
  } catch (err) {
    return [502, { message: `the API did not answer: ${(err as Error).message}` }];
  }
};

function loadTokenRequest(): typeof import("../login/tokenRequest") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("../login/tokenRequest") as typeof import("../login/tokenRequest");
}
