import * as assert from "node:assert/strict";
import { connect } from "node:net";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { raw } from "../support/rawHttp";

const json = (message: string) => `{"message":"${message}"}`;

describe("bad input never crashes the local environment and gets the gateway's answer", function () {
  let running: RunningEnv;
  let api: string;
  const stillServing = async () => assert.equal((await send(api, "GET", "/plain")).status, 200);

  before(async () => {
    running = await startTestEnvironment("bad-input", {
      entry: "tests/fixtures/fidelityProgram.ts",
    });
    api = running.env.apiEndpoint;
  });
  after(() => running?.stop());

  describe("sizes", () => {
    it("accepts a request line and headers just under 10,240 bytes", async () => {
      const line =
        Buffer.byteLength("GET /plain HTTP/1.1") +
        "host".length +
        `127.0.0.1:${new URL(api).port}`.length +
        "connection".length +
        "close".length;
      const reply = await send(api, "GET", "/plain", {
        "x-pad": "a".repeat(10_240 - line - "x-pad".length),
      });
      assert.equal(reply.status, 200);
    });

    it("answers 431 to a request line and headers over 10,240 bytes", async () => {
      const reply = await send(api, "GET", "/plain", { "x-pad": "a".repeat(10_300) });
      assert.equal(reply.status, 431);
      assert.equal(reply.body, json("Request Header Fields Too Large"));
      await stillServing();
    });

    it("answers 431 to a 20 KB token", async () => {
      const reply = await send(api, "GET", "/jwt", {
        authorization: `Bearer ${"a".repeat(20_000)}.b.c`,
      });
      assert.equal(reply.status, 431);
      await stillServing();
    });

    it("answers 431 to thousands of headers", async () => {
      const headers = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`x-h-${i}`, "v"]));
      const reply = await send(api, "GET", "/plain", headers);
      assert.equal(reply.status, 431);
      await stillServing();
    });

    it("answers the same to headers past Node's own limit", async () => {
      const reply = await raw(
        api,
        `GET /plain HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(70_000)}\r\n\r\n`,
      );
      assert.match(reply, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
      assert.ok(reply.endsWith(json("Request Header Fields Too Large")));
      await stillServing();
    });

    it("answers 413 to a body over 10 MB, declared or streamed", async () => {
      const big = Buffer.alloc(10 * 1024 * 1024 + 1, 97);
      const declared = await send(
        api,
        "POST",
        "/echo",
        { "content-type": "text/plain", "content-length": String(big.length) },
        big,
      );
      assert.equal(declared.status, 413);
      assert.equal(declared.body, json("Request Entity Too Large"));
      const streamed = await send(
        api,
        "POST",
        "/echo",
        { "content-type": "text/plain", "transfer-encoding": "chunked" },
        big,
      );
      assert.equal(streamed.status, 413);
      await stillServing();
    });

    it("answers 500 when the event would exceed Lambda's 6 MB payload", async () => {
      const reply = await send(
        api,
        "POST",
        "/echo",
        { "content-type": "text/plain" },
        Buffer.alloc(7 * 1024 * 1024, 97),
      );
      assert.equal(reply.status, 500);
      assert.equal(reply.body, json("Internal Server Error"));
    });
  });

  describe("encoding", () => {
    for (const target of ["/pets/%E0%A4%A", "/pets/%C3%28", "/plain?a=%ZZ", "/plain?a=%C3%28"]) {
      it(`answers 400 to malformed percent-encoding or UTF-8: ${target}`, async () => {
        const reply = await send(api, "GET", target);
        assert.equal(reply.status, 400);
        assert.equal(reply.body, json("Bad Request"));
      });
    }

    it("answers raw bytes that are not UTF-8 in the path without crashing", async () => {
      const reply = await raw(
        api,
        Buffer.concat([
          Buffer.from("GET /pets/"),
          Buffer.from([0xc3, 0x28]),
          Buffer.from(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ]),
      );
      assert.match(reply, /^HTTP\/1\.1 (400|404) /);
      await stillServing();
    });
  });

  describe("slow and broken clients", () => {
    it("keeps answering others while a client sends one byte a second", async () => {
      const socket = connect(Number(new URL(api).port), "127.0.0.1");
      socket.on("error", () => undefined);
      const request = "GET /plain HTTP/1.1\r\nHost: x\r\n";
      let i = 0;
      const drip = setInterval(() => socket.write(request[i++ % request.length]!), 20);
      try {
        // Ten requests answered in full while the dripping one is still unfinished.
        for (let n = 0; n < 10; n++) await stillServing();
        assert.equal(socket.destroyed, false);
      } finally {
        clearInterval(drip);
        socket.destroy();
      }
    });
  });

  describe("functions that exhaust their memory", () => {
    it("answers 500 and keeps serving", async () => {
      const reply = await send(api, "GET", "/oom");
      assert.equal(reply.status, 500);
      assert.equal(reply.body, json("Internal Server Error"));
      await stillServing();
    });
  });
});
