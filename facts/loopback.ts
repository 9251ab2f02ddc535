import { BlockList, isIP } from "node:net";

/** The loopback addresses: 127.0.0.0/8 (RFC 1122 §3.2.1.3) and ::1 (RFC 4291 §2.5.3). */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/**
 * Whether a host names this machine's loopback interface: the one rule every check uses (plain
 * http to an issuer, callback URLs, the Host a local server answers, a socket's peer address).
 *
 * - An IP literal counts by its parsed address, in 127.0.0.0/8 or `::1`; an IPv4-mapped one
 *   (`::ffff:127.0.0.1`, as Node reports an IPv4 peer on a dual-stack socket) counts as its IPv4
 *   address (Node's `BlockList` reads it so). URLs write IPv6 in brackets: both spellings count.
 * - A name counts only if it is `localhost` or ends in `.localhost`, in any case, with or without
 *   the root's trailing dot (RFC 6761 §6.3: such names resolve to loopback).
 *
 * Never by a string prefix: `127.attacker.example` and `127.0.0.1.nip.io` are names that a DNS
 * server elsewhere answers for.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const family = isIP(bare);
  if (family !== 0) return LOOPBACK.check(bare, family === 4 ? "ipv4" : "ipv6");
  const name = bare.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

/** A URL whose host is loopback (`isLoopbackHost`); false for anything that does not parse. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** An address that means every interface to `listen`. */
export function isWildcardAddress(host: string): boolean {
  return ["0.0.0.0", "::", "[::]"].includes(host);
}

/**
 * An address to listen on that serves this machine only, or every interface when asked: a
 * loopback IP literal, `localhost` (which the system resolves itself), or a wildcard address.
 */
export function isLoopbackOrWildcard(host: string): boolean {
  if (isWildcardAddress(host)) return true;
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  return (bare === "localhost" || isIP(bare) !== 0) && isLoopbackHost(bare);
}
