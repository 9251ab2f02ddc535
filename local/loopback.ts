/** The host names of this machine's loopback interface as URLs spell them (`new URL().hostname`). */
export const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A URL's host is one of `LOOPBACK_HOSTNAMES`; false for anything that does not parse. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTNAMES.has(new URL(url).hostname);
  } catch {
    return false;
  }
}
