/**
 * What the console shows of a kept request's event: everything but the credentials it carried.
 * The `authorization` header, cookies, and query parameters named `access_token`, `id_token`,
 * `code` or `token`, or whose value is a JWT, read as `[masked]`; any other header whose value is
 * a JWT too. The original stays in memory for a replay (`Activity.replayOf`), never in an API.
 */
import { decodeProtectedHeader } from "jose";

export const MASKED = "[masked]";

/** Query parameters that carry a credential by name (OAuth 2.0 and OpenID Connect's). */
const CREDENTIAL_PARAMETERS = new Set(["access_token", "id_token", "code", "token"]);

/** A compact JWS: three base64url parts whose first is a JOSE header. */
export function isJwt(value: string): boolean {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value)) return false;
  try {
    decodeProtectedHeader(value);
    return true;
  } catch {
    return false;
  }
}

const maskedParameter = (name: string, value: string) =>
  CREDENTIAL_PARAMETERS.has(name.toLowerCase()) || isJwt(value);

/** `a=1&token=x` → `a=1&token=[masked]`, each pair as written otherwise. */
export function maskQueryString(raw: string): string {
  return raw
    .split("&")
    .map((pair) => {
      const at = pair.indexOf("=");
      if (at < 0) return pair;
      const decode = (s: string) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, " "));
        } catch {
          return s;
        }
      };
      const name = decode(pair.slice(0, at));
      return maskedParameter(name, decode(pair.slice(at + 1)))
        ? `${pair.slice(0, at)}=${MASKED}`
        : pair;
    })
    .join("&");
}

interface EventShape {
  headers?: Record<string, string>;
  cookies?: string[];
  rawQueryString?: string;
  queryStringParameters?: Record<string, string>;
}

/** A payload 2.0 event's JSON text with its credentials masked; text that is not JSON, as is. */
export function maskEvent(eventJson: string): string {
  let event: EventShape;
  try {
    event = JSON.parse(eventJson) as EventShape;
  } catch {
    return eventJson;
  }
  if (event.headers !== undefined) {
    for (const [name, value] of Object.entries(event.headers)) {
      if (name === "authorization" || name === "cookie" || isJwt(value)) {
        event.headers[name] = MASKED;
      }
    }
  }
  if (event.cookies !== undefined) {
    event.cookies = event.cookies.map((c) => `${c.split("=")[0]}=${MASKED}`);
  }
  if (event.rawQueryString !== undefined) {
    event.rawQueryString = maskQueryString(event.rawQueryString);
  }
  if (event.queryStringParameters !== undefined) {
    for (const [name, value] of Object.entries(event.queryStringParameters)) {
      if (maskedParameter(name, value)) event.queryStringParameters[name] = MASKED;
    }
  }
  return JSON.stringify(event);
}
