import type { HttpResponse } from "./gatewayResponses";

/**
 * Maps what a function returned to the HTTP response, payload format 2.0 (DOC, "Working with
 * AWS Lambda proxy integrations for HTTP APIs"):
 * - an object with `statusCode` is a structured response: `headers`, `cookies` (one `set-cookie`
 *   each), `body`, `isBase64Encoded` (body decoded before sending); `multiValueHeaders` ignored;
 * - anything else that is valid JSON is the body of a 200 with `content-type: application/json`:
 *   a returned string as its text, without JSON's quotes (the doc's response table shows
 *   `"Hello from Lambda!"` arriving as `Hello from Lambda!`, and AWS's own emulator, SAM CLI,
 *   sends it so), any other value as its JSON text.
 * Returns `undefined` for output API Gateway rejects (a bad status, headers that are not
 * strings, a body that is not a string): the caller answers 500.
 */
export function mapLambdaResult(result: unknown): HttpResponse | undefined {
  if (isRecord(result) && "statusCode" in result) return mapStructured(result);
  // The Node runtime sends `null` for a handler that returns nothing.
  let body: string;
  try {
    body =
      typeof result === "string" ? result : JSON.stringify(result === undefined ? null : result);
  } catch {
    return undefined; // not JSON (a BigInt, a cycle): the runtime could not have sent it
  }
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: Buffer.from(body),
  };
}

/**
 * Headers that frame the message or the connection. The gateway owns framing: a function's
 * `content-length` would contradict the body the gateway sends, `transfer-encoding` or `upgrade`
 * would change how the client reads the stream. AWS does not document this for HTTP APIs; for
 * REST APIs and Lambda function URLs it keeps such a header visible under
 * `x-amzn-Remapped-<name>` ("Amazon API Gateway important notes", REST APIs; the same remapping
 * is reported for function URLs in cargo-lambda/cargo-lambda#862). We do the same: the value stays
 * readable and can never frame anything. These are RFC 9110 §7.6.1's hop-by-hop headers plus
 * the message's own length.
 */
export const FRAMING_HEADERS = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "proxy-connection",
]);

function mapStructured(result: Record<string, unknown>): HttpResponse | undefined {
  const { statusCode, headers, cookies, body, isBase64Encoded } = result;
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode)) return undefined;
  // 1xx is an interim answer a proxy integration cannot give (a 101 would hand the connection
  // over): only final statuses pass. Outside 200-599 is a malformed response, so 500.
  if (statusCode < 200 || statusCode > 599) return undefined;
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== "boolean") return undefined;
  if (body !== undefined && body !== null && typeof body !== "string") return undefined;

  // No prototype: a header named `constructor` or `__proto__` is a header like any other.
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string>;
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return undefined;
    for (const [name, value] of Object.entries(headers)) {
      if (!["string", "number", "boolean"].includes(typeof value)) return undefined;
      const text = String(value);
      if (!isValidHeader(name, text)) return undefined;
      const lower = name.toLowerCase();
      out[FRAMING_HEADERS.has(lower) ? `x-amzn-remapped-${lower}` : lower] = text;
    }
  }
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === "string")) return undefined;
    if (!cookies.every((c) => isValidHeader("set-cookie", c))) return undefined;
    // A `set-cookie` the function put in `headers` stays beside the ones in `cookies`.
    const inHeaders = out["set-cookie"];
    const all = inHeaders !== undefined ? [String(inHeaders), ...cookies] : cookies;
    if (all.length > 0) out["set-cookie"] = all;
  }
  const text = typeof body === "string" ? body : "";
  return {
    statusCode,
    headers: out,
    body: isBase64Encoded === true ? Buffer.from(text, "base64") : Buffer.from(text, "utf8"),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A header HTTP can carry and Node will send: a token name (RFC 9110 §5.1), and a value of
 * visible ASCII, space, tab or obs-text bytes (§5.5, Node's `checkInvalidHeaderChar`). A control
 * character or a character beyond one byte (a `€` copied from the query string) makes the
 * response one API Gateway cannot map: 500.
 */
function isValidHeader(name: string, value: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) && /^[\t\x20-\x7e\x80-\xff]*$/.test(value);
}
