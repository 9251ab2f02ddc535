import type { HttpResponse } from "./gatewayResponses";

/**
 * Maps what a function returned to the HTTP response, payload format 2.0 (DOC, "Working with
 * AWS Lambda proxy integrations for HTTP APIs"):
 * - an object with `statusCode` is a structured response: `headers`, `cookies` (one `set-cookie`
 *   each), `body`, `isBase64Encoded` (body decoded before sending); `multiValueHeaders` ignored;
 * - anything else that is valid JSON is the body of a 200 with `content-type: application/json`.
 *   A returned string is sent as its JSON text, quotes included: the doc's table shows it
 *   unquoted but byte-exactness is UNCONFIRMED, and "the whole return value serialized" is the
 *   reading the other emulators measured.
 * Returns `undefined` for output API Gateway rejects (a bad status, headers that are not
 * strings, a body that is not a string): the caller answers 500.
 */
export function mapLambdaResult(result: unknown): HttpResponse | undefined {
  if (isRecord(result) && "statusCode" in result) return mapStructured(result);
  // The Node runtime sends `null` for a handler that returns nothing.
  let body: string;
  try {
    body = JSON.stringify(result === undefined ? null : result);
  } catch {
    return undefined; // not JSON (a BigInt, a cycle): the runtime could not have sent it
  }
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: Buffer.from(body),
  };
}

function mapStructured(result: Record<string, unknown>): HttpResponse | undefined {
  const { statusCode, headers, cookies, body, isBase64Encoded } = result;
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode)) return undefined;
  if (statusCode < 100 || statusCode > 599) return undefined;
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== "boolean") return undefined;
  if (body !== undefined && body !== null && typeof body !== "string") return undefined;

  const out: Record<string, string | string[]> = {};
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return undefined;
    for (const [name, value] of Object.entries(headers)) {
      if (!["string", "number", "boolean"].includes(typeof value)) return undefined;
      const text = String(value);
      if (!isValidHeader(name, text)) return undefined;
      out[name.toLowerCase()] = text;
    }
  }
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === "string")) return undefined;
    if (!cookies.every((c) => isValidHeader("set-cookie", c))) return undefined;
    if (cookies.length > 0) out["set-cookie"] = cookies;
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

/** A header that Node (and HTTP) can send: a token name, a value without CR, LF or NUL. */
function isValidHeader(name: string, value: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) && !/[\r\n\0]/.test(value);
}
