/**
 * Responses API Gateway itself sends, byte for byte where AWS shows them: a JSON body
 * `{"message":"…"}` with no trailing newline (the doc's curl capture has `Content-Length: 26` for
 * `{"message":"Unauthorized"}`). The content type, `application/json`, is our choice: AWS's exact
 * value is UNCONFIRMED.
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
  | "Request Entity Too Large"
  | "Too Many Requests"
  | "Internal Server Error"
  | "Service Unavailable";

const STATUS: Record<GatewayError, number> = {
  "Bad Request": 400,
  Unauthorized: 401,
  Forbidden: 403,
  "Not Found": 404,
  "Request Entity Too Large": 413,
  "Too Many Requests": 429,
  "Internal Server Error": 500,
  "Service Unavailable": 503,
};

export function gatewayResponse(
  message: GatewayError,
  extraHeaders: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode: STATUS[message],
    headers: { "content-type": "application/json", ...extraHeaders },
    body: Buffer.from(JSON.stringify({ message })),
  };
}
