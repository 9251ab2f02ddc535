import * as assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import * as fc from "fast-check";
import { waitForRedirect } from "../../local/login/loginFlow";
import {
  hostHeaderName,
  isDirectHost,
  parseRequestTarget,
  requestUrl,
} from "../../local/server/requestTarget";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { rawGet, statusOf } from "../support/rawHttp";

/** Targets that threw in one server or another before they all read targets in one step. */
const HOSTILE_TARGETS = [
  "//",
  "//[",
  "//a:99999",
  "http://a:b/",
  "http://[/",
  "*",
  "example.com:443",
  "http://example.com",
  "/\xff\xfe",
  "/%",
  "",
];

describe("one step reads every request target and Host header", () => {
  describe("parseRequestTarget", () => {
    const cases: [string, ReturnType<typeof parseRequestTarget>][] = [
      ["/public?a=1&b", { rawPath: "/public", rawQueryString: "a=1&b" }],
      ["//", { rawPath: "//", rawQueryString: "" }],
      ["//[", { rawPath: "//[", rawQueryString: "" }],
      ["/a%20b#frag", { rawPath: "/a%20b", rawQueryString: "" }],
      ["http://example.com/x/y?q", { rawPath: "/x/y", rawQueryString: "q" }],
      ["HTTPS://example.com", { rawPath: "/", rawQueryString: "" }],
      ["http://example.com?q=1", { rawPath: "/", rawQueryString: "q=1" }],
      ["http://a:b/", { rawPath: "/", rawQueryString: "" }],
      ["*", undefined],
      ["example.com:443", undefined],
      ["ftp://example.com/", undefined],
      ["", undefined],
    ];
    for (const [target, expected] of cases) {
      it(`reads ${JSON.stringify(target)} as ${JSON.stringify(expected)}`, () => {
        assert.deepEqual(parseRequestTarget(target), expected);
      });
    }

    it("gives a URL whose path is the target's, even where the path starts with //", () => {
      assert.equal(requestUrl("//evil.example/x?y=1")?.pathname, "//evil.example/x");
      assert.equal(requestUrl("//evil.example/x?y=1")?.host, "request.invalid");
      assert.equal(requestUrl("//[")?.pathname, "//[");
      assert.equal(requestUrl("*"), undefined);
    });

    it("never throws, whatever the target (property)", () => {
      fc.assert(
        fc.property(fc.string({ unit: "binary", maxLength: 60 }), (target) => {
          const url = requestUrl(target);
          assert.equal(url === undefined, parseRequestTarget(target) === undefined);
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe("the Host header", () => {
    const names: [string, string | undefined][] = [
      ["127.0.0.1:3000", "127.0.0.1"],
      ["[::1]:3001", "::1"],
      ["localhost", "localhost"],
      ["app.localhost:80", "app.localhost"],
      ["[127.0.0.1x", undefined],
      ["localhost:evil", undefined],
      ["[127.0.0.1]", undefined],
      ["localhost:99999", undefined],
      [":3000", undefined],
      ["a b", undefined],
    ];
    for (const [host, name] of names) {
      it(`reads ${JSON.stringify(host)} as ${JSON.stringify(name)}`, () => {
        assert.equal(hostHeaderName(host), name);
      });
    }

    it("lets through loopback names and IP literals only", () => {
      const direct = {
        "127.0.0.1:4000": true,
        "192.0.2.1": true,
        "[::1]:4000": true,
        "localhost:4000": true,
        "x.localhost": true,
        "rebind.attacker.example": false,
        "127.0.0.1.nip.io": false,
        "localhost:evil": false,
        "[127.0.0.1x": false,
      };
      for (const [host, expected] of Object.entries(direct)) {
        assert.equal(isDirectHost(host), expected, host);
      }
      assert.equal(isDirectHost(undefined), false);
    });
  });
});

describe("every server answers any request target and keeps serving", function () {
  let running: RunningEnv;
  let login: { url: string; answer: Promise<URL> };
  before(async () => {
    running = await startTestEnvironment("targets", { console: { host: "127.0.0.1", port: 0 } });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let listening!: () => void;
    const ready = new Promise<void>((r) => (listening = r));
    const answer = waitForRedirect(url, "s1", "https://issuer.example/authorize", {
      timeoutMs: 120_000,
      onUrl: () => listening(),
    });
    await ready;
    login = { url, answer };
  });
  after(() => running?.stop());

  const servers = () => ({
    api: running.env.apiEndpoint,
    issuer: running.env.issuerUrl!,
    console: running.env.consoleUrl!,
    login: login.url,
  });

  /** A normal request to each server, after the hostile ones. */
  const stillServes = async () => {
    const { api, issuer, console: ui, login: callback } = servers();
    assert.equal((await send(api, "GET", "/public")).body, "Hello stranger!");
    const discovery = await send(issuer, "GET", "/.well-known/openid-configuration");
    assert.equal(discovery.status, 200);
    assert.equal((await send(ui, "GET", "/api/stack")).status, 200);
    // A request with another state: the sign-in still waits, and says so.
    assert.equal((await send(callback, "GET", "/?code=x&state=other")).status, 400);
  };

  for (const target of HOSTILE_TARGETS) {
    it(`answers ${JSON.stringify(target)} on each server below 500, then serves the next`, async () => {
      for (const [name, base] of Object.entries(servers())) {
        const status = statusOf(await rawGet(base, target));
        assert.ok(status !== undefined && status < 500, `${name} answered ${status} to ${target}`);
      }
      await stillServes();
    });
  }

  it("answers each server's targets with 400 where they do not parse (exact)", async () => {
    const { api, issuer, console: ui, login: callback } = servers();
    assert.match(await rawGet(api, "*"), /^HTTP\/1\.1 400 [^]*\{"message":"Bad Request"\}$/);
    assert.match(
      await rawGet(issuer, "//"),
      /^HTTP\/1\.1 404 /, // a path like any other: oidc-provider has no page there
    );
    assert.match(
      await rawGet(issuer, "*"),
      /^HTTP\/1\.1 400 [^]*"error_description":"the request target does not parse"/,
    );
    assert.match(
      await rawGet(ui, "*"),
      /^HTTP\/1\.1 400 [^]*\{"message":"the request target does not parse"\}$/,
    );
    // `//` parses: a path that is not the callback's, which the listener ignores.
    assert.match(await rawGet(callback, "//"), /^HTTP\/1\.1 404 /);
    assert.match(
      await rawGet(callback, "*"),
      /^HTTP\/1\.1 400 [^]*the request target does not parse; still waiting/,
    );
  });

  it("survives arbitrary request targets on every server (property)", async () => {
    const part = fc.constantFrom(..."/?#[]:@%\\.*aZ09 ~!$&'()+,;=\x80\xff\u00e9");
    const target = fc.tuple(
      fc.constantFrom("", "/", "//", "http://", "https://a", "*", "a:1"),
      fc.array(part, { maxLength: 24 }).map((chars) => chars.join("")),
    );
    await fc.assert(
      fc.asyncProperty(target, async ([prefix, rest]) => {
        for (const [name, base] of Object.entries(servers())) {
          const answer = await rawGet(base, `${prefix}${rest}`.replace(/ /g, "%20"));
          const status = statusOf(answer);
          assert.ok(status !== undefined && status < 500, `${name}: ${answer.slice(0, 80)}`);
        }
      }),
      { numRuns: 40 },
    );
    await stillServes();
  });

  it("ends the sign-in with the real answer after all of it", async () => {
    assert.equal((await send(login.url, "GET", "/?code=real&state=s1")).status, 200);
    assert.equal((await login.answer).href, `${login.url}/?code=real&state=s1`);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
