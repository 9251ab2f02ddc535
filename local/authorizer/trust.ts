import type { IssuerMap } from "./issuerMap";
import { IssuerKeys, type IssuerKeysOptions } from "./issuerKeys";

/**
 * Per issuer, its keys, fetched on first use and kept across hot reloads (a reload changes the
 * program, not what an issuer signed).
 */
export function trustedIssuers(
  issuerMap: IssuerMap,
  keyOptions: Partial<IssuerKeysOptions>,
): (issuer: string) => IssuerKeys {
  const byIssuer = new Map<string, IssuerKeys>();
  return (issuer) => {
    let keys = byIssuer.get(issuer);
    if (keys === undefined) {
      keys = new IssuerKeys({
        issuer,
        baseUrl: issuerMap.baseUrlFor(issuer),
        toReachable: (url) => issuerMap.toReachable(url),
        ...keyOptions,
      });
      byIssuer.set(issuer, keys);
    }
    return keys;
  };
}

/** Fetches an issuer's keys now, and logs a warning at once when that fails. */
export function warnIfUnreachable(keys: IssuerKeys, log: (line: string) => void): void {
  void keys.refresh().then(() => {
    if (keys.lastError !== undefined) {
      log(
        `warning: the issuer ${keys.issuerName} cannot be reached: ${keys.lastError}; tokens are refused until it can`,
      );
    }
  });
}
