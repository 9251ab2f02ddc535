/**
 * The console's HTTP API as JSON: the types the server sends and the page reads. Types only, so
 * the page's bundle (web/) and the server share them without sharing code.
 */
import type { RequestDetail, ServedRequest } from "../server/servedRequest";

/** `GET /api/requests/<API Gateway's request ID>`: the event and the answer of a kept request. */
export type { RequestDetail };

/** A record of a function's log stream: as written, and as a reader wants it when that differs. */
export interface LogLine {
  fn: string;
  text: string;
  readable?: string;
}

/** A request the API answered, with its invocation's log lines. */
export interface RequestEntry extends ServedRequest {
  logs: LogLine[];
  /** Lines past the bound, counted and not kept. */
  droppedLines: number;
}

export interface FunctionView {
  name: string;
  runtime: string;
  architecture: string;
  memoryMb: number;
  timeoutSeconds: number;
  handler: string;
}

export interface RouteView {
  routeKey: string;
  method: string;
  path: string;
  /** `NONE` (public), `JWT`, or what else the program says. */
  authorizationType: string;
  authorizer?: string;
  scopes: string[];
  function?: FunctionView;
  integration: { type: string; payloadFormatVersion: string; timeoutMs: number };
}

export interface StackView {
  project: string;
  stack: string;
  apiEndpoint: string;
  /** The issuer the authorizers trust, and where the built-in one is served. */
  issuer: { issuer: string; builtIn: boolean; servedAt?: string };
  routes: RouteView[];
  authorizers: { name: string; issuer: string; audiences: string[]; identitySource: string }[];
  /** The Auth0 applications; never their secrets. */
  applications: {
    name: string;
    clientId: string;
    appType: string;
    callbacks: string[];
    /** Its database connection: who may sign in. */
    connection?: { name: string; signUp: boolean; users: string[] };
  }[];
  apis: { name: string; identifier: string; scopes: string[] }[];
  /** The host names a deploy serves the API at; the local API answers them too. */
  customDomains: string[];
  /** A path to call to see the API answer (a public GET route's, where there is one). */
  probePath: string;
  /**
   * Who the built-in issuer signs in (none with an external issuer): any username where sign-up is
   * on; else the connection's declared users and those added with `npm start -- --user`.
   */
  signIn?: { anyUsername: boolean; connection?: string; users: string[]; username?: string };
  /** The alarms a deploy would create; locally only listed. */
  alarms: {
    name: string;
    description: string;
    namespace: string;
    metric: string;
    threshold: string;
  }[];
  /** Secret outputs have no value here. */
  outputs: {
    name: string;
    secret: boolean;
    /** As a deploy exports it (the stack's outputs, evaluated here under mocks). */
    value?: string;
    /** What it stands for here, where that differs: the local endpoint, the local login URL. */
    local?: string;
  }[];
  warnings: string[];
  /** The DynamoDB tables, served here by a local engine: their names and keys. */
  tables: { name: string; keySchema: string }[];
  /** Resources a deploy creates that are not emulated here: their inputs, secrets masked. */
  notEmulated: { type: string; name: string; inputs: string }[];
}

/** `GET /api/tables`: each table the program declares and its first items (read-only). */
export interface TableView {
  name: string;
  /** `owner (HASH), id (RANGE)`. */
  keySchema: string;
  items: Record<string, unknown>[];
  /** More items than are shown. */
  more: boolean;
}
export type TablesView = TableView[];

/** The program as served now, and the last reload's failure while the version before serves. */
export interface StackState {
  /** 1 for the first evaluation, one more per reload that succeeded. */
  version: number;
  view: StackView;
  error?: { message: string; at: number };
  /** What the last type check found: the errors `pulumi up` would refuse the program for. */
  typeErrors?: string[];
}

/** What the event stream sends, as JSON arrays of these. */
export type StreamEvent =
  /** First on every connection: everything there is to show. */
  | { kind: "hello"; stack: StackState; requests: RequestEntry[] }
  | { kind: "request"; entry: RequestEntry }
  | { kind: "log"; requestId: string; line: LogLine }
  | { kind: "stack"; stack: StackState }
  /** Sent instead of events the page fell behind on: the requests kept, in full. */
  | { kind: "snapshot"; requests: RequestEntry[] };

/** The events the activity log publishes. */
export type ActivityEvent = Extract<
  StreamEvent,
  { kind: "request" | "log" | "stack" | "snapshot" }
>;

/** What `POST /api/invoke` answers: the invocation's outcome and its records. */
export interface InvokeReply {
  /** Lambda's request ID for the invocation. */
  requestId: string;
  /** `ok` with the function's answer as JSON text, or how it failed. */
  outcome: "ok" | "error" | "timeout" | "crash";
  payload?: string;
  error?: string;
  logs: LogLine[];
}

export interface TokenRequest {
  username: string;
  kind: "id" | "access";
  /** For an access token: its API (default: the first the program declares) and scopes. */
  audience?: string;
  scopes?: string[];
}

export interface TokenReply {
  token: string;
  /** Scopes asked for that the API does not grant this application. */
  dropped: string[];
}

export interface RouteVerdict {
  routeKey: string;
  passes: boolean;
  /** The status the authorizer answers when it refuses: 401 or 403. */
  status?: number;
  /** Why: the authorizer's own description. */
  reason: string;
}

export interface Inspection {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** Why the token cannot be decoded at all. */
  error?: string;
  routes: RouteVerdict[];
}

export interface TryRequest {
  method: string;
  /** Path and query, from `/`. */
  path: string;
  token?: string;
}

export interface TryReply {
  status: number;
  headers: [string, string][];
  body: string;
  /** The body was longer than the console shows. */
  truncated: boolean;
  latencyMs: number;
  curl: string;
}

export interface ErrorReply {
  message: string;
}
