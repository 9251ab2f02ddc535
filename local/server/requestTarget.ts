/**
 * The one step that reads what a client sends before any server acts on it: the request-target
 * (RFC 9112 §3.2) and the Host header (RFC 9110 §7.2). The API, the built-in issuer, the console
 * and `npm run login`'s callback all read them here, and answer 400 to what does not parse,
 * instead of each parsing in its own way (a `new URL("//", base)` threw in the issuer's listener
 * and ended its thread).
 */
import { isIP, isIPv6 } from "node:net";
import { isLoopbackHost } from "../../facts/loopback";

export interface RequestTarget {
  /** The path as sent, undecoded: `/a%20b`, `//`. */
  rawPath: string;
  /** Everything after `?`, undecoded; "" when absent. */
  rawQueryString: string;
}

/** `http://host[:port]` or `https://…` at the start of an absolute-form target. */
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * A request-target as a path and a query, or undefined for one no server here answers:
 *
 * - origin-form (`/path?query`, RFC 9112 §3.2.1), `//` and `//[` included: a path may begin with
 *   empty segments;
 * - absolute-form (`http://host/path?query`, §3.2.2, which "a server MUST accept") reads as its
 *   path and query; no path is `/`;
 * - asterisk-form (`*`, for a server-wide OPTIONS, §3.2.4), authority-form (`host:443`, only for
 *   CONNECT, §3.2.3) and anything else: undefined, which each server answers 400. Whether API
 *   Gateway answers these 400 or otherwise is UNCONFIRMED; no capture shows it.
 *
 * A fragment is never sent (§3.2); one that arrives is dropped.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
  if (target === undefined) return undefined;
  let originForm = target;
  if (!target.startsWith("/")) {
    const authority = ABSOLUTE_FORM.exec(target);
    if (authority === null) return undefined;
    const rest = target.slice(authority[0].length);
    originForm = rest.startsWith("/") ? rest : `/${rest}`;
  }
  const hash = originForm.indexOf("#");
  const withoutFragment = hash === -1 ? originForm : originForm.slice(0, hash);
  const q = withoutFragment.indexOf("?");
  return q === -1
    ? { rawPath: withoutFragment, rawQueryString: "" }
    : { rawPath: withoutFragment.slice(0, q), rawQueryString: withoutFragment.slice(q + 1) };
}

/** The target in origin-form again (`/path?query`): what a library behind a server is handed. */
export function originForm(target: RequestTarget): string {
  return target.rawQueryString === ""
    ? target.rawPath
    : `${target.rawPath}?${target.rawQueryString}`;
}

/**
 * The target as a WHATWG URL (its `pathname`, `searchParams`), on an origin that is never
 * contacted; undefined when the target does not parse. Built from the origin and the path as one
 * string, never as `new URL(path, base)`: there a path `//x` would name a host.
 */
export function requestUrl(target: string | undefined): URL | undefined {
  const parsed = parseRequestTarget(target);
  return parsed === undefined ? undefined : targetUrl(parsed);
}

/** `requestUrl` of a target already parsed. */
export function targetUrl(target: RequestTarget): URL | undefined {
  try {
    return new URL(`http://request.invalid${originForm(target)}`);
  } catch {
    return undefined;
  }
}

/**
 * The host name of a Host header (`127.0.0.1:3000` → `127.0.0.1`, `[::1]:3000` → `::1`), or
 * undefined when the value is not `uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2):
 * `[127.0.0.1x`, `localhost:evil`, an empty name, a port past 65535.
 */
export function hostHeaderName(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  const match = /^(?:\[([^\]]*)\]|([A-Za-z0-9\-._~%!$&'()*+,;=]+))(?::(\d{0,5}))?$/.exec(host);
  if (match === null) return undefined;
  const [, literal, name, port] = match;
  if (port !== undefined && port !== "" && Number(port) > 65_535) return undefined;
  if (literal !== undefined) return isIPv6(literal) ? literal : undefined;
  return name;
}

/**
 * A Host a local server that signs in or hands out tokens answers to: `localhost`, a name under
 * it, or an IP literal, with any port. A name a page's DNS resolves to 127.0.0.1 (DNS rebinding)
 * is refused: that page would read what the server answers.
 */
export function isDirectHost(host: string | undefined): boolean {
  const name = hostHeaderName(host);
  if (name === undefined) return false;
  return isIP(name) !== 0 || isLoopbackHost(name);
}
