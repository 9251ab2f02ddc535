import * as assert from "node:assert/strict";
import type { Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { createGatewayServer } from "../../local/server/httpServer";

describe("a client that sends its headers slowly", function () {
  let server: Server;
  let port: number;
  before(async () => {
    server = createGatewayServer({
      current: () => {
        throw new Error("no request should reach the gateway");
      },
      log: () => undefined,
      // 15 s in use; shortened here. The check interval is the environment's own.
      limits: { headersTimeout: 600, requestTimeout: 1200 },
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise((r) => server.close(r)));

  it("is answered 408 and cut off once the header timeout has passed, not half a minute later", async () => {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    let answer = "";
    socket.on("data", (d) => (answer += d.toString("latin1")));
    // A request line and a header that never ends: one more byte every 100 ms.
    socket.write("GET /x HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    const drip = setInterval(() => socket.writable && socket.write("a"), 100);
    const started = Date.now();
    await new Promise((r) => socket.on("close", r));
    clearInterval(drip);
    assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(answer, /\r\n\r\n\{"message":"Request Timeout"\}$/);
    // Node's default check interval (30 s) would have held it far longer than this.
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  });
});
