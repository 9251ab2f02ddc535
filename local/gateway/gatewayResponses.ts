/**
 * Responses API Gateway itself sends, byte for byte where AWS shows them: a JSON body
 * `{"message":"…"}` with no trailing newline (the doc's curl capture has `Content-Length: 26` for
 * `{"message":"Unauthorized"}`), and **no content type**: a `curl -v` capture of AWS's own 503
 * shows `date`, `content-length: 33` and `apigw-requestid`, and no `content-type`
 * (cortexlabs/cortex#1225); the review behind this project's issue 11 reports the same of the
 * 401 (not seen here). The other gateway answers (403, 404, 429, 500) come from the same place;
 * we send them the same way (UNCONFIRMED: no capture found).
 * So are the answers to oversized requests (UNCONFIRMED): a body over the 10 MB quota gets 413
 * `Request Entity Too Large` (the status API Gateway's REQUEST_TOO_LARGE response has); a request
 * line and headers over 10,240 bytes get 431 `Request Header Fields Too Large` (RFC 6585's status for
 * exactly that); malformed percent-encoding or UTF-8 in the path or query gets 400 `Bad Request`;
 * a client whose headers are not complete 15 s after it connected gets 408 `Request Timeout`
 * (RFC 9110 §15.5.9; what AWS sends then is UNCONFIRMED).
 */
export interface HttpResponse {
  statusCode: number;
  /** Header names lowercased; an array value means the header is sent once per element. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export type GatewayError =
  | "Bad Request"
  | "Unauthorized"
  | "Forbidden"
  | "Not Found"
  | "Request Timeout"
  | "Request Entity Too Large"
  | "Request Header Fields Too Large"
  | "Too Many Requests"
  | "Internal Server Error"
  | "Service Unavailable";

const STATUS: Record<GatewayError, number> = {
  "Bad Request": 400,
  Unauthorized: 401,
  Forbidden: 403,
  "Not Found": 404,
  "Request Timeout": 408,
  "Request Entity Too Large": 413,
  "Request Header Fields Too Large": 431,
  "Too Many Requests": 429,
  "Internal Server Error": 500,
  "Service Unavailable": 503,
};

/** Each answer's body, made once: the gateway sends them as they are, never changed. */
const BODIES = Object.fromEntries(
  Object.keys(STATUS).map((message) => [message, Buffer.from(JSON.stringify({ message }))]),
) as Record<GatewayError, Buffer>;

export function gatewayResponse(
  message: GatewayError,
  extraHeaders: Record<string, string> = {},
): HttpResponse {
  return { statusCode: STATUS[message], headers: { ...extraHeaders }, body: BODIES[message] };
}
