import * as assert from "node:assert/strict";
import { environmentOptions, type Values } from "../../local/cli/startOptions";
import { startFlags } from "../support/startFlags";
import { PROJECT_DIR } from "../support/program";

const flags = startFlags;

describe("npm start's options, checked before anything starts", () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const name of ["PORT", "ISSUER_PORT", "CONSOLE_PORT", "HOST", "ISSUER_HOST"]) {
      delete process.env[name];
    }
  });
  after(() => Object.assign(process.env, saved));

  it("takes the defaults: ports 3000, 4000 and 3001 on loopback, hot reload and type checking", () => {
    const options = environmentOptions(flags(), PROJECT_DIR);
    assert.deepEqual(
      [options.port, options.issuerPort, options.console?.port, options.host, options.issuerHost],
      [3000, 4000, 3001, "127.0.0.1", "127.0.0.1"],
    );
    assert.deepEqual([options.watch, options.typecheck], [true, true]);
  });

  it("turns type checking off with --no-typecheck, and with --no-watch", () => {
    assert.equal(environmentOptions(flags({ "no-typecheck": true }), PROJECT_DIR).typecheck, false);
    assert.equal(environmentOptions(flags({ "no-watch": true }), PROJECT_DIR).typecheck, false);
  });

  it("refuses each mistake with its own message", () => {
    const cases: [Partial<Values>, string][] = [
      [{ port: "abc" }, "--port 'abc': expected a port number from 0 to 65535"],
      [
        { stack: "nosuch" },
        "--stack 'nosuch': no stack file Pulumi.nosuch.yaml in this project (its stacks: dev, prod)",
      ],
      [
        { "console-port": "3000" },
        "--console-port 3000 is the port of --port: give each its own, or 0 for a free one",
      ],
      [
        { "issuer-url": "http://127.0.0.1:9" },
        "--issuer-url goes with --issuer (where that issuer is served)",
      ],
    ];
    for (const [set, message] of cases) {
      assert.throws(() => environmentOptions(flags(set), PROJECT_DIR), { message });
    }
  });

  it("lets two servers share port 0: each gets a free one", () => {
    const options = environmentOptions(
      flags({ port: "0", "console-port": "0", "issuer-port": "0" }),
      PROJECT_DIR,
    );
    assert.deepEqual([options.port, options.issuerPort, options.console?.port], [0, 0, 0]);
  });

  it("reads --inspect as node does: a port, or a loopback host and port", () => {
    const at = (value: string) =>
      environmentOptions(flags({ inspect: value }), PROJECT_DIR).inspect;
    assert.deepEqual(at("127.0.0.1:9229"), { host: "127.0.0.1", port: 9229 });
    assert.deepEqual(at("9230"), { host: "127.0.0.1", port: 9230 });
    assert.deepEqual(at("[::1]:0"), { host: "::1", port: 0 });
    assert.deepEqual(at("localhost:9231"), { host: "localhost", port: 9231 });
    assert.equal(environmentOptions(flags(), PROJECT_DIR).inspect, undefined);
  });

  it("refuses a debugger reachable from the network, and a port another server has", () => {
    assert.throws(() => environmentOptions(flags({ inspect: "0.0.0.0:9229" }), PROJECT_DIR), {
      message:
        "--inspect '0.0.0.0:9229': the debugger listens on loopback only (it runs any code it is sent); forward its port over SSH to reach it from elsewhere",
    });
    assert.throws(() => environmentOptions(flags({ inspect: "x" }), PROJECT_DIR), {
      message: "--inspect 'x': expected a port number from 0 to 65535",
    });
    assert.throws(() => environmentOptions(flags({ inspect: "3000" }), PROJECT_DIR), {
      message: "--inspect 3000 is the port of --port: give each its own, or 0 for a free one",
    });
  });
});
