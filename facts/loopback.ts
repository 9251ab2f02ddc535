/** The host names of this machine's loopback interface as URLs spell them (`new URL().hostname`). */
export const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A host name of the loopback interface: one of `LOOPBACK_HOSTNAMES`, or any 127.x address. */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname) || hostname.startsWith("127.");
}

/** A URL's host is one of `LOOPBACK_HOSTNAMES`; false for anything that does not parse. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTNAMES.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** An address to listen on that serves this machine only, or every interface when asked. */
export function isLoopbackOrWildcard(host: string): boolean {
  return (
    ["localhost", "::1", "[::1]", "0.0.0.0", "::", "[::]"].includes(host) ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/** A socket's remote address on the loopback interface, as Node reports it. */
export function isLoopbackAddress(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}
