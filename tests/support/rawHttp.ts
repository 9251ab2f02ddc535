import { connect } from "node:net";

/**
 * Sends bytes as they are to a server on loopback and resolves with everything it answers until
 * it closes (latin1, byte for byte), or what came within `ms`. Node's client would refuse to
 * send most of what these tests send.
 */
export function raw(base: string, bytes: Buffer | string, ms = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(base).port), "127.0.0.1", () => socket.write(bytes));
    let data = "";
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.on("data", (d) => (data += d.toString("latin1")));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.on("error", () => undefined);
  });
}

/** A GET for `target` as it is, read as latin1 bytes, on a connection that closes after it. */
export function rawGet(base: string, target: string, host = "127.0.0.1"): Promise<string> {
  return raw(
    base,
    Buffer.from(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, "latin1"),
  );
}

/** The status code of a raw answer; undefined when the server answered nothing. */
export function statusOf(answer: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3}) /.exec(answer);
  return match === null ? undefined : Number(match[1]);
}
