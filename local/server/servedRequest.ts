/**
 * One request as the API's server answered it: what its log line says, and its request ID. Types
 * only, without Node's, so the console's page shares them (console/consoleApi.ts).
 */

/** Never holds the token, nor the query string (it may carry one). */
export interface ServedRequest {
  requestId: string;
  /** Milliseconds since the epoch, when the request arrived. */
  receivedAt: number;
  method: string;
  /** The path only, as the log line: a query string may carry a token. */
  path: string;
  /** `-` when no route took it. */
  routeKey: string;
  status: number;
  latencyMs: number;
  /** `public`, `allow`, `deny 401 <reason>`, `deny 403 <reason>`, `-` when it did not run. */
  authorizer: string;
  /**
   * Lambda's request ID for the invocation, when a function ran: a UUID of Lambda's own, which
   * its log records name (`$context.integration.requestId` in the access log).
   */
  integrationRequestId?: string;
}

/** What a request's details show: the event its function received, and the answer it got. */
export interface RequestDetail {
  /** The payload 2.0 event as JSON text; none when no function ran. */
  event?: string;
  response: {
    status: number;
    headers: Record<string, string | string[]>;
    /** As text, UTF-8 or base64 when the body is not text: its first `DETAIL_BODY_BYTES`. */
    body: string;
    bodyEncoding: "utf8" | "base64";
    /** The whole body's size. */
    bodyBytes: number;
  };
}

/** A response body's bytes a request's details keep: a page shows more than a screen of it. */
export const DETAIL_BODY_BYTES = 16 * 1024;
