/** Pure checks the config validator applies to single values. */

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

export function isBareHostName(value: string): boolean {
  const labels = value.split(".");
  return labels.length >= 2 && labels.every((label) => HOST_LABEL.test(label));
}

/** For `https://tenant.auth0.com/`, suggests `tenant.auth0.com` in the how-to-set line. */
export function suggestHost(value: string): string | undefined {
  const host = value.replace(/^[a-z]+:\/\//i, "").split(/[/?#]/)[0];
  return host !== undefined && isBareHostName(host) ? host.toLowerCase() : undefined;
}

export function parseStringArray(raw: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) return parsed;
  } catch {
    // Not JSON: fall through.
  }
  return undefined;
}

export function checkUrl(s: string, check: (u: URL, s: string) => boolean): boolean {
  try {
    return check(new URL(s), s);
  } catch {
    return false;
  }
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** https anywhere; plain http only on loopback, as Auth0 allows for development. */
export function isWebUrl(u: URL): boolean {
  return u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK_HOSTS.has(u.hostname));
}

export function isOrigin(u: URL, s: string): boolean {
  return isWebUrl(u) && s === u.origin;
}
