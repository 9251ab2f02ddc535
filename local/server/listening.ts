import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A host as it goes in a URL: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** The address to reach a server at from this machine: loopback for a wildcard address. */
export function loopbackFor(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "::1";
  return host;
}

/** Listens on `port` (0: a free one) and resolves with the port it got. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolvePort((server.address() as AddressInfo).port));
  });
}

/** Stops accepting connections and ends the open ones, kept-alive ones included. */
export function close(server: Server): Promise<void> {
  return new Promise((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
}

/** Listens, and says which option moves the port when it is taken. */
export async function listenOn(server: Server, port: number, host: string, option: string) {
  try {
    return await listen(server, port, host);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    throw new Error(
      `port ${port} on ${host} is in use (another npm start?): choose another with ${option} <port>, or ${option} 0 for a free one`,
    );
  }
}
