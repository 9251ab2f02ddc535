/**
 * The one map from an issuer string (`https://<domain>/`, what tokens carry as `iss` and the
 * authorizer expects) to the base URL where it is actually served on this machine. Everything
 * that must reach the issuer goes through it: the authorizer's discovery, the token and login
 * tools. An issuer not in the map is reached at its own URL (an external issuer).
 */
export class IssuerMap {
  constructor(private readonly entries: Readonly<Record<string, string>>) {}

  /** Where to fetch `<issuer>/.well-known/...` from. */
  baseUrlFor(issuer: string): string {
    return this.entries[issuer] ?? issuer;
  }

  /** Rewrites a URL under a mapped issuer to the local base URL; others stay as they are. */
  toReachable(url: string): string {
    for (const [issuer, base] of Object.entries(this.entries)) {
      if (url.startsWith(issuer))
        return `${base.replace(/\/+$/, "")}/${url.slice(issuer.length).replace(/^\/+/, "")}`;
    }
    return url;
  }

  toJSON(): Record<string, string> {
    return { ...this.entries };
  }
}
