import { requestUrl } from "../server/requestTarget";

/** What one request to the loopback redirect URI means for the sign-in. */
export type CallbackOutcome =
  /** The authorization response: hand the full URL to the code exchange. */
  | { kind: "response"; url: URL }
  /** The issuer's answer to this sign-in is an error, or carries no code: the sign-in ends. */
  | { kind: "failure"; message: string }
  /**
   * A request that is not this sign-in's answer (another `state`, or none): any web page can make
   * the browser send one. Answer 400 and keep waiting for the real one.
   */
  | { kind: "stray"; message: string }
  /** Not the redirect (a favicon, another path): answer 404 and keep waiting. */
  | { kind: "ignore" };

/**
 * Reads a request to the loopback callback. Only the exact registered path counts, and on it only
 * a request carrying the `state` this sign-in sent is the issuer's answer (RFC 6749 §4.1.2 and
 * §4.1.2.1: both the code and an error come back with it). That answer ends the sign-in: with the
 * code, or with the issuer's error.
 */
export function readCallback(
  target: string | undefined,
  expected: { redirectUri: string; state: string },
): CallbackOutcome {
  const redirect = new URL(expected.redirectUri);
  const url = requestUrl(target);
  if (url === undefined) {
    return { kind: "stray", message: "the request target does not parse; still waiting" };
  }
  if (url.pathname !== redirect.pathname) return { kind: "ignore" };
  const params = url.searchParams;
  if (params.get("state") !== expected.state) {
    return {
      kind: "stray",
      message:
        "this is not the answer to the sign-in in progress (its state differs); still waiting",
    };
  }
  const error = params.get("error");
  if (error !== null) {
    const description = params.get("error_description");
    return {
      kind: "failure",
      message: `the issuer answered ${error}${description ? `: ${description}` : ""}`,
    };
  }
  if (params.get("code") === null)
    return { kind: "failure", message: "the redirect carries no code" };
  const full = new URL(expected.redirectUri);
  full.search = url.search;
  return { kind: "response", url: full };
}
