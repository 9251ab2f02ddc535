/** What one request to the loopback redirect URI means for the sign-in. */
export type CallbackOutcome =
  /** The authorization response: hand the full URL to the code exchange. */
  | { kind: "response"; url: URL }
  /** The issuer redirected with an error, or the response is not ours. */
  | { kind: "failure"; message: string }
  /** Not the redirect (a favicon, another path): answer 404 and keep waiting. */
  | { kind: "ignore" };

/**
 * Reads a request to the loopback callback. Only the exact registered path counts; an `error`
 * from the issuer, a missing code or a `state` other than the one sent end the sign-in.
 */
export function readCallback(
  requestUrl: string,
  expected: { redirectUri: string; state: string },
): CallbackOutcome {
  const redirect = new URL(expected.redirectUri);
  const url = new URL(requestUrl, redirect.origin);
  if (url.pathname !== redirect.pathname) return { kind: "ignore" };
  const params = url.searchParams;
  const error = params.get("error");
  if (error !== null) {
    const description = params.get("error_description");
    return {
      kind: "failure",
      message: `the issuer answered ${error}${description ? `: ${description}` : ""}`,
    };
  }
  if (params.get("state") !== expected.state) {
    return {
      kind: "failure",
      message: "the state in the redirect is not the one sent (a forged or stale redirect)",
    };
  }
  if (params.get("code") === null)
    return { kind: "failure", message: "the redirect carries no code" };
  const full = new URL(expected.redirectUri);
  full.search = url.search;
  return { kind: "response", url: full };
}
